from manna.community.tests.conftest import make_user, signed_in  # noqa: F401
