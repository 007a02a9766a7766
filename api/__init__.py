"""The web application: public pages, resolver, staff, inspector and device APIs."""
