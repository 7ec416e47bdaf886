"""Demo customers: names (some accented, some missing), phones that real libraries accept, emails, cards."""

from __future__ import annotations

import random

import phonenumbers

from loyalty_app.cards import new_card_number

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
# Reserved example domains only: a demo shop with a real mail server configured can never email a real person.
DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com", "post.example.net"]


class Books:
    """Unique phones and card numbers for one build, from the build's seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phones: set[str] = set()
        self.cards: set[str] = set()
        self._valid: dict[str, bool] = {}

    def phone(self, abroad: bool = False) -> str:
        """A number the phonenumbers library accepts as valid: US mostly, UK and German mobiles abroad."""
        while True:
            e164 = self._foreign() if abroad else self._us()
            if e164 in self.phones:
                continue
            key = e164[:8] if e164.startswith("+1") else e164  # US validity depends on area code and exchange
            ok = self._valid.get(key)
            if ok is None:
                ok = self._valid[key] = phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
            if ok:
                self.phones.add(e164)
                return e164

    def _us(self) -> str:
        rng = self.rng
        while True:
            exchange = rng.randint(201, 899)
            if exchange != 555 and exchange % 100 != 11:  # 555 is fictional (tests keep 555-01xx); N11 are services
                return f"+1{rng.choice(AREAS)}{exchange}{rng.randint(0, 9999):04d}"

    def _foreign(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"+447{rng.randint(400, 999)}{rng.randint(0, 999999):06d}"
        return f"+4915{rng.choice('1279')}{rng.randint(0, 99999999):08d}"

    def card(self) -> str:
        while True:
            number = new_card_number(self.rng.randrange(10**10))
            if number not in self.cards:
                self.cards.add(number)
                return number


def as_written(e164: str) -> str:
    """How a person writes the number down, e.g. '(650) 321-4477'."""
    return phonenumbers.format_number(phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.NATIONAL)


def name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def email_for(first: str, last: str, n: int, rng: random.Random) -> str:
    plain = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{plain}{n}@{rng.choice(DOMAINS)}"
