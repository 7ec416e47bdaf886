"""The main window: the counter screen now; back-office screens join it as tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from loyalty_app.shop import Shop


class MainWindow(QMainWindow):
    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.setWindowTitle(f"Loyalty Desk — {shop.ctx.shop_name}")
        self.resize(1280, 800)
        self.tabs = QTabWidget()
        page = QWidget()
        layout = QVBoxLayout(page)
        self.welcome = QLabel(f"Welcome to {shop.ctx.shop_name}")
        self.welcome.setAccessibleName("shop name")
        layout.addWidget(self.welcome)
        self.tabs.addTab(page, "Counter")
        self.setCentralWidget(self.tabs)
        from ui.mail.mail_tab import install as install_mail
        install_mail(self)
