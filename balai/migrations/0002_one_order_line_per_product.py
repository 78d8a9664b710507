"""One line per product in an order: a unique index on orderitem (order_id, product_id)

An order is made with one line for each product (Order.place); the index keeps it so, and finds
an order's lines by its first column."""


def upgrade(migrator):
    migrator.add_index("orderitem", ("order_id", "product_id"), unique=True).run()
