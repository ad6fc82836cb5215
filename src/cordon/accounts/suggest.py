"""The search widget's answer for staff accounts (cordon.core.autocomplete): users holding an active post inside
the actor's area, by name or user name, shown with their post."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from cordon.accounts.models import Post
from cordon.core import access, autocomplete
from cordon.core.autocomplete import Suggestion


def _posts_in_view(actor):
    where = access.scope_q(actor, "regions.view", "region__path")
    return Post.objects.none() if where is None else Post.objects.filter(where, active=True)


def _suggestions(users) -> list[Suggestion]:
    out = []
    for u in users:
        post = next(iter(u.posts.all()), None)
        role = access.ROLES[post.role].label if post and post.role in access.ROLES else ""
        out.append(Suggestion(value=str(u.pk), label=u.get_full_name() or u.username,
                              detail=" · ".join(x for x in (u.username, role, post.region.name if post else "") if x)))
    return out


@autocomplete.SUGGEST["user"].answer
def users(*, actor, q=None, values=None, limit=autocomplete.LIMIT) -> list[Suggestion]:
    """Users with an active post the actor may see, by part of the name or the start of the user name."""
    qs = get_user_model().objects.filter(is_active=True, posts__in=_posts_in_view(actor)).distinct() \
        .prefetch_related("posts__region")
    if values is not None:
        return _suggestions(qs.filter(pk__in=[int(v) for v in values if str(v).isdigit()]))
    qs = qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(username__istartswith=q))
    return _suggestions(qs.order_by("username")[:limit])
