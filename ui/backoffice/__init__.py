"""The owner's back office: products, program, staff, reports and cards, behind the owner PIN."""
