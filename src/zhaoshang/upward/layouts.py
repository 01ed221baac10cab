FIELDS: dict = {}
