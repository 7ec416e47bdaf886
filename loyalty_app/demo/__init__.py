"""The demo shop: a believable olive-oil and vinegar shop with two stores and years of live-looking history."""

from loyalty_app.demo.builder import DEMO_OWNER, DEMO_PIN, build_demo

__all__ = ["DEMO_OWNER", "DEMO_PIN", "build_demo"]
