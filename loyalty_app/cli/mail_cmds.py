"""`loyalty mail|announce|reminders|outbox|campaigns|unsubscribe`: emails from the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from typing import Any

from loyalty_app.cli.common import cashier, count_arg, days_arg, emit, json_parent, opened_shop, owner
from loyalty_app.consent_types import LABELS
from loyalty_app.errors import ValidationError
from loyalty_app.mail import drafts
from loyalty_app.mail import settings as mail_settings
from loyalty_app.mail.campaigns import Preview
from loyalty_app.mail.drafts import Wording
from loyalty_app.mail.lift import describe
from loyalty_app.mail.sender import DeliveryReport
from loyalty_app.shop import Shop
from loyalty_app.views import plain


def register(sub: Any) -> None:
    j = json_parent()
    mail = sub.add_parser("mail", help="set up sending, send a test email, read the shop mailbox")
    msub = mail.add_subparsers(dest="mail_command", metavar="ACTION")
    msub.required = True
    p = msub.add_parser("setup", parents=[j], help="SMTP server and sender (owner); password to the keyring")
    p.add_argument("--host")
    p.add_argument("--port", type=count_arg)
    p.add_argument("--user")
    sec = p.add_mutually_exclusive_group()
    for mode in mail_settings.SECURITY_MODES:
        sec.add_argument(f"--{mode}", dest="security", action="store_const", const=mode)
    p.add_argument("--from", dest="from_address", metavar="ADDRESS")
    p.add_argument("--from-name")
    p.add_argument("--postal-address", help="the shop's postal address shown in every email (';' between lines)")
    p.add_argument("--unsubscribe-address")
    p.add_argument("--accent", help="the shop's colour in emails, like #556b2f")
    p.add_argument("--cap-days", type=days_arg, help="at most one marketing email per customer per N days")
    p.add_argument("--control-percent", type=count_arg)
    p.add_argument("--results-days", type=days_arg)
    p.add_argument("--refill-every-days", type=days_arg, help="refill reminder schedule (0 = off)")
    p.add_argument("--imap-host")
    p.add_argument("--imap-port", type=count_arg)
    p.add_argument("--imap-user")
    p.add_argument("--unsubscribe-url", help="the shop's one-click unsubscribe page, https://.../{token}")
    p.add_argument("--welcome", choices=["on", "off"], help="a welcome email after a sign-up with consent")
    p.add_argument("--winback", choices=["on", "off"], help="'we miss you' when a regular is well overdue")
    p.add_argument("--winback-min-days", type=days_arg, help="... and away at least N days (default 60)")
    p.set_defaults(func=cmd_setup)
    p = msub.add_parser("test", parents=[j], help="send a test email now (owner)")
    p.add_argument("address")
    p.set_defaults(func=cmd_test)
    p = msub.add_parser("check-inbox", parents=[j], help="apply unsubscribe requests and bounces (owner)")
    p.set_defaults(func=cmd_check_inbox)

    p = sub.add_parser("announce", parents=[j], help="email a new product to the customers it suits")
    p.add_argument("sku")
    act = p.add_mutually_exclusive_group(required=True)
    act.add_argument("--preview", action="store_true",
                     help="print the email as the first recipient gets it and the recipients count; send nothing")
    act.add_argument("--send", action="store_true", help="queue and deliver (owner); returns when done")
    p.add_argument("--exclude", type=count_arg, action="append", default=[], metavar="CUSTOMER_ID")
    _wording_args(p)
    p.set_defaults(func=cmd_announce)

    rem = sub.add_parser("reminders", help="refill reminders")
    rsub = rem.add_subparsers(dest="reminders_command", metavar="ACTION")
    rsub.required = True
    p = rsub.add_parser("refill", parents=[j], help="one email per due customer, once per due cycle")
    act = p.add_mutually_exclusive_group(required=True)
    act.add_argument("--preview", action="store_true")
    act.add_argument("--send", action="store_true", help="queue and deliver (owner); for cron / Task Scheduler")
    p.add_argument("--if-due", action="store_true", help="with --send: only when the owner's schedule says so")
    _wording_args(p)
    p.set_defaults(func=cmd_refill)

    p = rsub.add_parser("automations", parents=[j],
                        help="the switched-on welcome and we-miss-you emails (see mail setup --welcome/--winback)")
    act = p.add_mutually_exclusive_group(required=True)
    act.add_argument("--preview", action="store_true")
    act.add_argument("--send", action="store_true", help="queue and deliver (owner); for cron / Task Scheduler")
    p.add_argument("--if-due", action="store_true", help="with --send: at most once a day")
    p.set_defaults(func=cmd_automations)

    p = sub.add_parser("outbox", parents=[j], help="every email with its status; --send delivers the queue")
    p.add_argument("--status", choices=["queued", "sent", "failed", "cancelled"])
    p.add_argument("--limit", type=count_arg, default=200)
    p.add_argument("--send", action="store_true", help="deliver what is queued (owner)")
    p.add_argument("--retry-failed", action="store_true", help="queue failed emails again, then deliver (owner)")
    p.set_defaults(func=cmd_outbox)

    p = sub.add_parser("campaigns", parents=[j], help="campaigns with recipients vs. control and the lift")
    p.add_argument("--days", type=days_arg, help="buying window after the email (default: the mail settings)")
    p.set_defaults(func=cmd_campaigns)

    p = sub.add_parser("unsubscribe", parents=[j], help="never email this address again (or apply a link's token)")
    p.add_argument("email", nargs="?")
    p.add_argument("--token", help="an unsubscribe link's token (from the shop's one-click page): its type only")
    p.set_defaults(func=cmd_unsubscribe)


def _wording_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--subject", help="the owner's subject (default: the kept draft, else the standard one)")
    p.add_argument("--message", help="the owner's message (blank lines make paragraphs)")
    p.add_argument("--picture", metavar="FILE", help="a picture of the product, embedded (PNG, JPEG, GIF, WebP)")
    p.add_argument("--subject-b", help="A/B split: variant B's subject (half the recipients, at random)")
    p.add_argument("--message-b", help="A/B split: variant B's message")


def _wording(args: argparse.Namespace, default_subject: str) -> Wording | None:
    """The words typed on the command line (checked), or None for the kept draft or the standard words."""
    given = (args.subject, args.message, args.picture, args.subject_b, args.message_b)
    if all(v is None for v in given):
        return None
    picture = drafts.read_picture(args.picture) if args.picture else None
    return drafts.check(Wording(default_subject if args.subject is None else args.subject, args.message or "",
                                args.subject_b or "", args.message_b or "", picture))


def _preview_text(head: str, previews: list[tuple[str, Preview]]) -> str:
    lines = [head]
    for label, pv in previews:
        lines += ["", f"{label}To: {pv.to_name + ' ' if pv.to_name else ''}<{pv.to}>", f"Subject: {pv.subject}",
                  "", pv.text.rstrip("\n")]
    return "\n".join(lines)


def _note_unset_sender(shop: Shop) -> None:
    """A preview before `mail setup` shows empty unsubscribe addresses: say why, on stderr."""
    ms = shop.mail.settings()
    if not (ms.unsubscribe_address or ms.from_address) or not ms.postal_address:
        print("loyalty: sending is not set up yet, so the preview has no address to unsubscribe to or no postal "
              "address: loyalty mail setup --from ADDRESS --postal-address \"street; town\"", file=sys.stderr)


def _preview_json(pv: Preview) -> dict[str, str | None]:
    return {"to": pv.to, "subject": pv.subject, "text": pv.text, "html": pv.html,
            "picture": pv.picture.name if pv.picture else None}


def _run(args: argparse.Namespace, body: Any) -> int:
    with opened_shop(args) as shop:
        return int(body(shop) or 0)


def cmd_setup(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        who = owner(shop, "changing the mail settings")
        fields = ("host", "port", "security", "user", "from_address", "from_name", "postal_address",
                  "unsubscribe_address", "cap_days", "control_percent", "results_days", "refill_every_days",
                  "imap_host", "imap_port", "imap_user", "accent", "unsubscribe_url", "welcome", "winback",
                  "winback_min_days")
        ms = mail_settings.save(shop.ctx, who, **{f: getattr(args, f) for f in fields})
        note = ""
        if args.user and sys.stdin.isatty():
            pw = getpass.getpass(f"SMTP password for {args.user} (kept in the system keyring): ")
            if pw:
                mail_settings.store_password(args.user, pw)
                note = "; password stored in the system keyring"
        elif args.user and not mail_settings.smtp_password(args.user):
            note = (f"; no password yet: run this on a terminal to store it in the keyring, "
                    f"or set {mail_settings.PASSWORD_ENV}")
        data = {k: v for k, v in ms.__dict__.items()}
        emit(args, data, f"mail: {ms.host}:{ms.port} ({ms.security}) from {ms.from_address or '(not set)'}{note}")
        return 0
    return _run(args, body)


def cmd_test(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        who = owner(shop, "sending a test email")
        text = shop.mail.send_test(args.address, who)
        emit(args, {"sent": True, "to": args.address}, text)
        return 0
    return _run(args, body)


def cmd_check_inbox(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        owner(shop, "reading the shop mailbox")
        done = shop.mail.check_mailbox()
        emit(args, done, f"{len(done)} unsubscribe/bounce change(s) applied")
        return 0
    return _run(args, body)


def _deliver(shop: Shop) -> DeliveryReport:
    def show(done: int, total: int, text: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)
    return shop.mail.deliver(progress=show)


def _delivery_text(rep: DeliveryReport) -> str:
    text = f"sent {rep.sent}, failed {rep.failed}, still queued {rep.remaining}"
    return text + (f" — {rep.error}" if rep.error else "")


def cmd_announce(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        words = _wording(args, shop.mail.default_subject(args.sku))
        plan = shop.mail.plan_announcement(args.sku, args.exclude)
        rows = [r for r in plan.rows if r.status == "mail"]
        if not rows:
            raise ValidationError(plan.nobody())
        if args.preview:
            c = plan.counts()
            head = (f"{plan.product['sku']} {plan.product['name']}: {c['mail']} recipients, {c['control']} control, "
                    f"{c['already']} already emailed, {c['capped']} capped, {c['not_contactable']} without consent, "
                    f"{c['loosely_related']} loosely related (not proposed)")
            split = words.split if words else bool((d := shop.mail.draft("announce", args.sku)) and d.wording.split)
            previews = [(f"Variant {v} (half of the recipients, at random): " if split else "", shop.mail.preview(
                args.sku, rows[0].customer_id, words, v)) for v in (("A", "B") if split else (None,))]
            _note_unset_sender(shop)
            emit(args, {**plain(plan.summary()), "recipients": len(rows),
                        "preview": [_preview_json(pv) for _, pv in previews]}, _preview_text(head, previews))
            return 0
        who = owner(shop, "announcing a product by email")
        queued = shop.mail.announce(args.sku, who, args.exclude, words)
        rep = _deliver(shop)
        emit(args, {**asdict(queued.summary()), "delivery": rep},
             f"queued {len(queued.queued)}, control {len(queued.control)}; {_delivery_text(rep)}")
        return 1 if rep.error else 0
    return _run(args, body)


def cmd_refill(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        words = _wording(args, shop.mail.default_subject(None))
        if args.preview:
            plan = shop.mail.plan_refill()
            c = plan.counts()
            lines = [f"refill reminders {plan.today}: {c['mail']} to email, {c['control']} control, "
                     f"{c['already']} already reminded this cycle, {c['capped']} capped"]
            rows = [r for r in plan.rows if r.status == "mail"]
            lines += [f"  #{r.customer_id} {r.name or ''} <{r.email}>: {', '.join(i['name'] for i in r.items)}"
                      for r in rows][:20]
            data: dict[str, Any] = plain(plan.summary())
            if rows:
                pv = shop.mail.preview_refill(rows[0], words)
                data["preview"] = [_preview_json(pv)]
                lines = [_preview_text(lines[0], [("", pv)]), "", *lines[1:]]
                _note_unset_sender(shop)
            emit(args, data, "\n".join(lines))
            return 0
        who = owner(shop, "sending refill reminders")
        if args.if_due and not shop.mail.refill_run_is_due():
            emit(args, {"skipped": "not due by the schedule"}, "refill reminders: not due today by the schedule")
            return 0
        queued = shop.mail.send_refill(who, wording=words)
        rep = _deliver(shop)
        emit(args, {**asdict(queued.summary()), "delivery": rep},
             f"queued {len(queued.queued)}, control {len(queued.control)}; {_delivery_text(rep)}")
        return 1 if rep.error else 0
    return _run(args, body)


def cmd_automations(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        if args.preview:
            plan = shop.mail.plan_automations()
            lines = []
            for kind, title in (("welcome", "welcome"), ("winback", "we miss you")):
                c = plan.counts(kind)
                lines.append(f"{title}: {c['mail']} to email, {c['control']} control, {c['already']} already "
                             f"emailed, {c['capped']} capped")
                lines += [f"  #{r.customer_id} {r.name or ''} <{r.email}>: {r.reason}"
                          for r in plan.rows if r.kind == kind and r.status == "mail"][:20]
            emit(args, plan.rows, "\n".join(lines))
            return 0
        who = owner(shop, "sending the automatic emails")
        if args.if_due and not shop.mail.automations_run_is_due():
            emit(args, {"skipped": "not due"}, "automatic emails: switched off or already run today")
            return 0
        queued = shop.mail.run_automations(who)
        rep = _deliver(shop)
        emit(args, {**asdict(queued.summary()), "delivery": rep},
             f"queued {len(queued.queued)}, control {len(queued.control)}; {_delivery_text(rep)}")
        return 1 if rep.error else 0
    return _run(args, body)


def cmd_outbox(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        rep = None
        if args.send or args.retry_failed:
            who = owner(shop, "sending the outbox")
            if args.retry_failed:
                shop.mail.retry_failed(who)
            rep = _deliver(shop)
        else:
            cashier(shop)
        rows = shop.mail.outbox(args.status, args.limit)
        lines = [f"{r.id:>6} {r.status:<9} {r.to_address:<32} {r.subject[:40]}"
                 + (f"  ({r.last_error})" if r.last_error else "") for r in rows]
        if rep:
            lines.append(_delivery_text(rep))
        emit(args, {"emails": rows, **({"delivery": rep} if rep else {})}, "\n".join(lines) or "empty")
        return 1 if rep and rep.error else 0
    return _run(args, body)


def cmd_campaigns(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        res = shop.mail.campaign_results(args.days)
        cur = shop.ctx.currency
        lines = []
        for r in res:
            lines.append(f"#{r.campaign_id} {r.title}: sent {r.sent}; bought within {r.window_days} d: recipients "
                         f"{r.recipients_converted}/{r.recipients}, control {r.control_converted}/{r.control}"
                         + (f", lift {r.lift_points:+.1f} points" if r.lift_points is not None else "")
                         + f"; {describe(r.revenue, cur)}; {r.unsubscribes} unsubscribed")
            lines += [f"  variant {v.variant} ({v.subject or ''}): {v.recipients_converted}/{v.recipients} bought; "
                      f"{describe(v.revenue, cur)}" for v in r.variants]
        emit(args, res, "\n".join(lines) or "no campaigns yet")
        return 0
    return _run(args, body)


def cmd_unsubscribe(args: argparse.Namespace) -> int:
    def body(shop: Shop) -> int:
        who = cashier(shop)
        if bool(args.token) == bool(args.email):
            raise ValidationError("give an email address or --token TOKEN (one of them)")
        if args.token:
            done = shop.mail.unsubscribe_token(args.token, "unsubscribe link")
        else:
            done = shop.mail.unsubscribe(args.email, "command line", who)
        what = "no more marketing emails" if done.consent_type == "all" else f"no more {LABELS[done.consent_type]}"
        emit(args, done, f"{done.email} unsubscribed: {what}"
             + (f" ({done.cancelled_queued} queued cancelled)" if done.cancelled_queued else ""))
        return 0
    return _run(args, body)
