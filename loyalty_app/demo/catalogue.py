"""The demo shop's catalogue: families of oils and vinegars in three sizes, pantry items and gift sets."""

from __future__ import annotations

from dataclasses import dataclass

# (family, category, tags, price of 100/250/500 ml in cents, refill days of the 250 ml)
OILS = [
    ("Koroneiki extra virgin olive oil", "Extra virgin olive oil", "robust,greek", (900, 1800, 3000), 40),
    ("Arbequina extra virgin olive oil", "Extra virgin olive oil", "mild,spanish", (800, 1600, 2700), 40),
    ("Picual extra virgin olive oil", "Extra virgin olive oil", "robust,spanish", (850, 1700, 2850), 40),
    ("Frantoio extra virgin olive oil", "Extra virgin olive oil", "medium,italian", (900, 1800, 3000), 40),
    ("Coratina extra virgin olive oil", "Extra virgin olive oil", "robust,italian,peppery", (950, 1900, 3200), 45),
    ("Mission extra virgin olive oil", "Extra virgin olive oil", "mild,californian", (800, 1600, 2700), 40),
    ("Basil olive oil", "Infused oils", "basil,herbs,infused", (800, 1450, 2500), 45),
    ("Garlic olive oil", "Infused oils", "garlic,infused", (800, 1450, 2500), 45),
    ("Lemon olive oil", "Infused oils", "lemon,citrus,infused", (800, 1500, 2600), 50),
    ("Blood orange olive oil", "Infused oils", "blood orange,citrus,infused", (850, 1550, 2650), 55),
    ("Chipotle olive oil", "Infused oils", "chili,smoky,infused", (850, 1550, 2650), 60),
    ("Herbes de Provence olive oil", "Infused oils", "herbs,infused", (800, 1450, 2500), 55),
    ("Rosemary olive oil", "Infused oils", "rosemary,herbs,infused", (800, 1450, 2500), 55),
    ("Wild mushroom & sage olive oil", "Infused oils", "mushroom,sage,herbs,infused", (900, 1650, 2800), 60),
]
VINEGARS = [
    ("Traditional 18-year dark balsamic", "Dark balsamic", "dark balsamic,traditional", (900, 1800, 3100), 60),
    ("Fig dark balsamic", "Dark balsamic", "dark balsamic,fig,fruity", (850, 1650, 2850), 65),
    ("Cherry dark balsamic", "Dark balsamic", "dark balsamic,cherry,fruity", (850, 1650, 2850), 65),
    ("Espresso dark balsamic", "Dark balsamic", "dark balsamic,espresso", (850, 1650, 2850), 75),
    ("Tangerine dark balsamic", "Dark balsamic", "dark balsamic,citrus,fruity", (850, 1650, 2850), 70),
    ("Traditional white balsamic", "White balsamic", "white balsamic,traditional", (800, 1200, 2100), 60),
    ("Peach white balsamic", "White balsamic", "white balsamic,peach,fruity", (800, 1500, 2600), 65),
    ("Grapefruit white balsamic", "White balsamic", "white balsamic,citrus,fruity", (800, 1500, 2600), 65),
    ("Cranberry-pear white balsamic", "White balsamic", "white balsamic,cranberry,fruity", (800, 1500, 2600), 70),
    ("Lemongrass-mint white balsamic", "White balsamic", "white balsamic,lemongrass,herbs", (800, 1500, 2600), 70),
]
SINGLES: list[tuple[str, str, str, str, str, str | None, int, int | None, int, bool]] = [
    # (sku, name, family, category, tags, size, price, refill days, months since launch, seasonal)
    ("PANT-PESTO", "Sun-dried tomato pesto", "Sun-dried tomato pesto", "Pantry", "sun-dried tomato,basil",
     "190 g", 900, 30, 30, False),
    ("PANT-TAPEN", "Kalamata olive tapenade", "Kalamata olive tapenade", "Pantry", "olives,greek", "180 g", 850,
     45, 30, False),
    ("PANT-SALT", "Flaky sea salt", "Flaky sea salt", "Pantry", "salt", "250 g", 700, 120, 30, False),
    ("PANT-PASTA", "Bronze-cut spaghetti", "Bronze-cut spaghetti", "Pantry", "pasta,italian", "500 g", 600, 30,
     30, False),
    ("GIFT-TRIO", "Gift set: three 100 ml bottles", "Gift set trio", "Gifts", "gift", None, 3200, None, 30, True),
    ("GIFT-TASTE", "Tasting box: six 60 ml bottles", "Tasting box", "Gifts", "gift", None, 4500, None, 30, True),
    # New this month: no sales yet (the suggestions and the new-product email find its audience).
    ("BAS-SDT-250", "Basil & sun-dried tomato olive oil 250 ml", "Basil & sun-dried tomato olive oil",
     "Infused oils", "basil,sun-dried tomato,herbs,infused", "250 ml", 1550, 45, 0, False),
    ("LEMGR-250", "Basil-lemongrass white balsamic 250 ml", "Basil-lemongrass white balsamic", "White balsamic",
     "white balsamic,basil,lemongrass,herbs", "250 ml", 1550, 65, 0, False),
]
SIZES = ((100, "100 ml", 0.55), (250, "250 ml", 1.0), (500, "500 ml", 1.8))  # refill scale per size
# Pairs people really buy together: (family bought, family added, probability)
AFFINITIES = [
    ("Basil olive oil", "Sun-dried tomato pesto", 0.45),
    ("Basil olive oil", "Garlic olive oil", 0.25),
    ("Traditional white balsamic", "Lemon olive oil", 0.45),
    ("Lemon olive oil", "Traditional white balsamic", 0.35),
    ("Traditional 18-year dark balsamic", "Blood orange olive oil", 0.35),
    ("Blood orange olive oil", "Traditional 18-year dark balsamic", 0.3),
    ("Fig dark balsamic", "Rosemary olive oil", 0.3),
    ("Garlic olive oil", "Bronze-cut spaghetti", 0.3),
    ("Chipotle olive oil", "Tangerine dark balsamic", 0.3),
    ("Peach white balsamic", "Basil olive oil", 0.25),
    ("Koroneiki extra virgin olive oil", "Kalamata olive tapenade", 0.3),
]

# The shop's pairing card: what the staff pour next to each oil or vinegar at the tasting bar, and so what a
# regular who tries something new is most often steered to (symmetric; each family has one to three partners).
PAIRINGS = [
    ("Koroneiki extra virgin olive oil", "Traditional 18-year dark balsamic"),
    ("Arbequina extra virgin olive oil", "Peach white balsamic"),
    ("Arbequina extra virgin olive oil", "Grapefruit white balsamic"),
    ("Picual extra virgin olive oil", "Fig dark balsamic"),
    ("Picual extra virgin olive oil", "Flaky sea salt"),
    ("Frantoio extra virgin olive oil", "Bronze-cut spaghetti"),
    ("Frantoio extra virgin olive oil", "Traditional 18-year dark balsamic"),
    ("Coratina extra virgin olive oil", "Cherry dark balsamic"),
    ("Mission extra virgin olive oil", "Cranberry-pear white balsamic"),
    ("Basil olive oil", "Sun-dried tomato pesto"),
    ("Basil olive oil", "Peach white balsamic"),
    ("Garlic olive oil", "Bronze-cut spaghetti"),
    ("Lemon olive oil", "Traditional white balsamic"),
    ("Lemon olive oil", "Lemongrass-mint white balsamic"),
    ("Blood orange olive oil", "Espresso dark balsamic"),
    ("Blood orange olive oil", "Traditional 18-year dark balsamic"),
    ("Chipotle olive oil", "Tangerine dark balsamic"),
    ("Herbes de Provence olive oil", "Traditional white balsamic"),
    ("Herbes de Provence olive oil", "Flaky sea salt"),
    ("Rosemary olive oil", "Fig dark balsamic"),
    ("Rosemary olive oil", "Cranberry-pear white balsamic"),
    ("Wild mushroom & sage olive oil", "Cherry dark balsamic"),
    ("Wild mushroom & sage olive oil", "Bronze-cut spaghetti"),
    ("Koroneiki extra virgin olive oil", "Kalamata olive tapenade"),
    ("Mission extra virgin olive oil", "Grapefruit white balsamic"),
    ("Chipotle olive oil", "Espresso dark balsamic"),
]


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    family: str
    category: str
    tags: str
    size: str | None
    size_ml: int | None
    price_cents: int
    refill_days: int | None
    launch_months_ago: int
    seasonal: bool
    barcode: str | None


def _sku(family: str, ml: int) -> str:
    letters = "".join(w[0] for w in family.replace("-", " ").replace("&", " ").split() if w[0].isalnum())
    return f"{letters.upper()[:5]}-{ml}"


def catalogue() -> list[DemoProduct]:
    out: list[DemoProduct] = []
    for i, (family, category, tags, prices, refill) in enumerate(OILS + VINEGARS):
        for (ml, size, scale), price in zip(SIZES, prices, strict=True):
            barcode: str | None = None
            if i % 3 == 0:
                body = f"20{i:04d}{ml:05d}0"[:12]
                barcode = body + str((10 - sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body)) % 10) % 10)
            out.append(DemoProduct(_sku(family, ml), f"{family} {size}", family, category, tags, size, ml, price,
                                   max(10, round(refill * scale)), 36, False, barcode))
    for single in SINGLES:
        sku, name, fam, cat, tag_text, single_size, single_price, days, launched, seasonal = single
        single_ml = int(single_size.split()[0]) if single_size and single_size.endswith("ml") else None
        out.append(DemoProduct(str(sku), str(name), str(fam), str(cat), str(tag_text), single_size, single_ml,
                               int(single_price), days, int(launched), bool(seasonal), None))
    return out
