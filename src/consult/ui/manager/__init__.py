"""The clinic manager: consent register, recall, dashboard, products, users, audit."""
