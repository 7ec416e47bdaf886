"""Notes and tags travel between stores like the rest of a customer: the latest change wins, one tag per key."""

from __future__ import annotations

from tests.sync_harness import Network


def _there(node, phone: str) -> int:
    return node.shop.lookup.find_one(phone).id


def test_tags_and_notes_reach_the_other_store_and_a_removal_follows(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.notes.save(ada.id, "prefers the unfiltered oil", "VIP, nut allergy")
    net.tick()
    net.settle()
    there = _there(harbour, "650.321.4477")
    assert harbour.shop.notes.tags(there) == ["nut allergy", "VIP"]
    assert harbour.shop.notes.notes(there) == "prefers the unfiltered oil"
    harbour.shop.notes.remove_tag(there, "vip")
    net.tick()
    net.settle()
    assert down.shop.notes.tags(ada.id) == ["nut allergy"]


def test_the_same_tag_added_in_both_stores_while_apart_is_one_tag(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    net.tick()
    net.settle()
    there = _there(harbour, "650.321.4477")
    net.partitioned.add(frozenset(("Downtown", "Harbour")))
    down.shop.notes.add_tag(ada.id, "VIP")
    net.tick()
    harbour.shop.notes.add_tag(there, "vip")
    net.partitioned.clear()
    for n in net.nodes:
        n.shop.sync.sync_now()
    net.settle()
    assert len(down.shop.notes.tags(ada.id)) == 1 and len(harbour.shop.notes.tags(there)) == 1
    net.tick()
    harbour.shop.notes.remove_tag(there, "VIP")
    net.tick()
    net.settle()
    assert down.shop.notes.tags(ada.id) == [] and harbour.shop.notes.tags(there) == []
