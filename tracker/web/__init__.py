"""The web layer: Flask wiring around the services (the views are in ``tracker.views``).

``wiring.init_app`` attaches, in order, the query-string repair, the bounded ``<int:…>`` converter, CSRF
protection, the templates' helpers, the error pages and the security headers; ``create_app`` then registers the
blueprints.

Modules: ``wiring``; ``errors`` (error pages); ``sessions`` (the request's database session); ``auth`` (login
session, access checks); ``csrf``; ``page_filter`` (the viewer's filter with the remembered zone); ``links``
(URLs the pages build); ``templating`` (every Jinja filter and global); ``routing`` (URL converter, WSGI repair).
"""
