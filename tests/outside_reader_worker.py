"""The lost-sales scenario of a real counter: `python -m tests.outside_reader_worker DB`. It opens the shop
twice (as the app and its start-up worker do), lets an outside program read the shop (`loyalty customer
list`), records five sales printing SAVED after each, then kills itself as a power cut would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop


def main(db: str) -> None:
    counter = open_shop(db)
    cid = counter.customers.list()[0].id
    worker = open_shop(db)
    outside = subprocess.run([sys.executable, "-m", "loyalty_app.cli", "--db", db, "customer", "list"],
                             capture_output=True, text=True, check=False)
    print(f"OUTSIDE {outside.returncode}", flush=True)
    for _ in range(5):
        sale = counter.sales.record_sale(cid, [SaleItem("BAS250", 1)])
        print(f"SAVED {sale.purchase_id} {sale.purchase_uuid}", flush=True)
    worker.customers.list()
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main(sys.argv[1])
