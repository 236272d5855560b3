"""Moving a WordPress devotional blog to Manna (`manna import-wordpress`, docs/wordpress.md)."""
