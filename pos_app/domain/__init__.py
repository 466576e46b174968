"""The shop's rules in plain Python: money, tax, the cart and its prices, tenders, approvals,
refund caps, report periods and product codes.

Nothing here touches a database, Qt or the file system, and nothing imports the rest of
``pos_app``: services and screens ask these functions, never the other way round.
"""
