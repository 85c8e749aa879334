"""Django: ``asyncio.verify_session`` for async views, ``syncio.verify_session`` for sync views."""
