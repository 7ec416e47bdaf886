"""Demo customers: names (some accented, some missing), phones that real libraries accept, emails, cards."""

from __future__ import annotations

import random

FIRST = ["Ada", "Grace", "Zoë", "José", "Amélie", "Liam", "Noah", "Olivia", "Emma", "Mateo", "Sofía", "Chloé",
         "Hannah", "Jürgen", "Priya", "Arjun", "Mei", "Hiroshi", "Aisha", "Omar", "Lucas", "Isabella", "Ethan",
         "Mia", "Benjamin", "Charlotte", "Daniel", "Ava", "Samuel", "Lucía", "Nora", "Felix", "Ingrid", "Björn",
         "Margaux", "Théo", "Giulia", "Marco", "Elena", "Dmitri", "Katarzyna", "Siobhán", "Connor", "Maya", "Leah",
         "David", "Sarah", "Michael", "Rosa", "Carmen", "Kwame", "Ngozi", "Tomás", "Renée", "François", "Ana"]
LAST = ["Lovelace", "Hopper", "García", "Martínez", "Müller", "Nguyen", "Smith", "Johnson", "Brown", "Rossi",
        "Bianchi", "Dubois", "Lefèvre", "Kowalski", "O'Brien", "Murphy", "Patel", "Sharma", "Chen", "Wang",
        "Tanaka", "Sato", "Kim", "Park", "Hernández", "López", "González", "Silva", "Santos", "Andersson",
        "Johansson", "Novak", "Ivanova", "Okafor", "Mensah", "Haddad", "Cohen", "Levi", "Schmidt", "Fischer",
        "Weber", "Costa", "Ferreira", "Moreau", "Laurent", "Byrne", "Walsh", "Nakamura", "Singh", "Khan"]
# Area codes of the Bay Area and beyond; exchanges from 201 to 899 except 555 (tests keep 555-01xx for themselves).
AREAS = ["650", "510", "408", "707", "925", "209", "916", "831", "818", "619"]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me", "hey.com", "fastmail.com"]


def us_phone(rng: random.Random, used: set[str]) -> str:
    while True:
        exchange = rng.randint(201, 899)
        if exchange == 555 or exchange % 100 == 11:
            continue
        e164 = f"+1{rng.choice(AREAS)}{exchange}{rng.randint(0, 9999):04d}"
        if e164 not in used:
            used.add(e164)
            return e164


def foreign_phone(rng: random.Random, used: set[str]) -> str:
    while True:
        e164 = rng.choice([f"+447700{rng.randint(900000, 900999)}", f"+49151{rng.randint(10000000, 99999999)}"])
        if e164 not in used:
            used.add(e164)
            return e164


def name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def email_for(first: str, last: str, n: int, rng: random.Random) -> str:
    plain = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{plain}{n}@{rng.choice(DOMAINS)}"
