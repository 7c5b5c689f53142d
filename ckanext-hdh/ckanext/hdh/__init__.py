"""A ckanext-dcat profile for the health data hub's feed (see ``profiles``)."""
