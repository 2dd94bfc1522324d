"""Who is signed in, for each request: allauth's backend (Django's ModelBackend underneath),
reading the user with their roles, permissions and authenticator app in one query instead of
five. Nothing is kept between requests: a deactivated account, a removed role or permission
takes effect on the very next request, however it was changed."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db import connection

from accounts.models import User

# One statement, written once: the ORM would spend longer building it than the database
# spends answering it, on every request.
_JOIN = {"postgresql": "string_agg({}, ',')", "sqlite": "group_concat({}, ',')"}
_SQL = """
SELECT u.*,
  (SELECT {roles} FROM auth_group g
     JOIN accounts_user_groups ug ON ug.group_id = g.id WHERE ug.user_id = u.id)
     AS access_roles,
  (SELECT {own} FROM auth_permission p
     JOIN django_content_type ct ON ct.id = p.content_type_id
     JOIN accounts_user_user_permissions up ON up.permission_id = p.id WHERE up.user_id = u.id)
     AS access_own_permissions,
  (SELECT {role} FROM auth_permission p
     JOIN django_content_type ct ON ct.id = p.content_type_id
     JOIN auth_group_permissions gp ON gp.permission_id = p.id
     JOIN accounts_user_groups ug ON ug.group_id = gp.group_id WHERE ug.user_id = u.id)
     AS access_role_permissions,
  EXISTS (SELECT 1 FROM mfa_authenticator a WHERE a.user_id = u.id AND a.type = 'totp')
     AS access_authenticator_app
FROM accounts_user u WHERE u.id = %s
"""


def _sql() -> str:
    join = _JOIN[connection.vendor]
    name = join.format("ct.app_label || '.' || p.codename")
    return _SQL.format(roles=join.format("g.name"), own=name, role=name)


def _names(joined: str | None) -> set[str]:
    return set(filter(None, (joined or "").split(",")))


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        found = list(User.objects.raw(_sql(), [user_id]))
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        user.access_authenticator_app = bool(user.access_authenticator_app)
        if not user.is_superuser:  # a superuser holds every permission: Django works it out
            # The caches ModelBackend fills on the first permission check of a request.
            user._user_perm_cache = _names(user.access_own_permissions)
            user._group_perm_cache = _names(user.access_role_permissions)
            user._perm_cache = user._user_perm_cache | user._group_perm_cache
        return user
