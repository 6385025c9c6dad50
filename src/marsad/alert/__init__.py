"""Alerts: rules matched on each document (the `alerts` stage), delivered apart from the
pipeline by `marsad alerts deliver` through webhooks and e-mail, at once or as digests."""
