"""Village news (berita): written by the operator in Markdown, published now or later, searchable."""
import datetime
import html
import re
import unicodedata

import markdown
import nh3
from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
)

from balai.db import BaseModel, JSONField, db, now
from balai.media import ImageSet, key_of
from balai.people.models import User
from balai.villages.models import VillageModel

CATEGORIES = ["Pengumuman", "Kegiatan", "Pembangunan", "Kesehatan", "Pertanian", "Bantuan Sosial"]
STATUSES = {"draf": "Draf", "terbit": "Terbit"}
PAGE_SIZE = 10
EXCERPT_LENGTH = 160
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
                "code", "pre", "hr"}


def render_markdown(text):
    """Markdown to safe HTML: raw HTML is shown as text, and nh3 keeps only a small tag set."""
    md = markdown.Markdown()
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return nh3.clean(md.convert(text or ""), tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow")


def plain_text(safe_html):
    """The words of sanitized HTML, in one line."""
    return " ".join(html.unescape(nh3.clean(safe_html, tags=set())).split())


def shorten(text, length=EXCERPT_LENGTH):
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


RESERVED_SLUGS = {"cari", "kelola", "tulis"}  # paths of the news pages themselves


def slugify(title):
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].rstrip("-") or "berita"
    return f"berita-{slug}" if slug in RESERVED_SLUGS else slug


def search_words(text):
    """The words of user input, at most 8: the engine searches each as a prefix (balai.dbms), so
    no input can be a syntax error."""
    return re.findall(r"\w+", text or "")[:8]


class News(VillageModel):
    """A news item. Public once published and its publish time has come."""
    title = CharField()
    slug = CharField(unique=True)
    form_key = CharField(unique=True, null=True)  # the editor's nonce: a double submit is one item
    body_markdown = TextField(default="")
    body_html = TextField(default="")
    excerpt = CharField(default="")
    category = CharField(default="Pengumuman")
    image = JSONField(null=True)  # images.ImageSet.as_dict()
    image_key = CharField(null=True, unique=True)  # finds the news item of a served image file
    status = CharField(default="draf")
    publish_at = DateTimeField(default=now)  # UTC
    pinned = BooleanField(default=False)
    author = ForeignKeyField(User, null=True, backref="news", on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("status", "pinned", "publish_at"), False),)

    @property
    def image_set(self):
        return ImageSet.from_dict(self.image) if self.image else None

    @property
    def is_public(self):
        return self.status == "terbit" and self.publish_at <= now()

    @property
    def is_scheduled(self):
        return self.status == "terbit" and self.publish_at > now()

    @property
    def status_label(self):
        return "Terjadwal" if self.is_scheduled else STATUSES[self.status]

    def set_body(self, text):
        self.body_markdown = text
        self.body_html = render_markdown(text)
        self.excerpt = shorten(plain_text(self.body_html))

    @classmethod
    def public(cls, category=None):
        """Published items whose time has come (of one category, if given), pinned first, then
        newest first."""
        query = (cls.select()
                 .where((cls.status == "terbit") & (cls.publish_at <= now()))
                 .order_by(cls.pinned.desc(), cls.publish_at.desc(), cls.id.desc()))
        return query.where(cls.category == category) if category else query

    @classmethod
    def latest(cls, count=20):
        """The newest public items regardless of pinning, for the feed."""
        return (cls.select().where((cls.status == "terbit") & (cls.publish_at <= now()))
                .order_by(cls.publish_at.desc(), cls.id.desc()).limit(count))

    @property
    def last_change(self):
        """When readers last saw it change: a scheduled item changes when it appears."""
        return max(self.publish_at, self.updated_at)

    def readable_by(self, user):
        """Everyone reads public items; officials also drafts and scheduled ones."""
        return self.is_public or getattr(user, "is_official", False)

    @classmethod
    def for_reader(cls, slug, user):
        item = cls.get_or_none(cls.slug == slug)
        return item if item and item.readable_by(user) else None

    @classmethod
    def with_image_file(cls, name):
        """The item whose photo is stored under this file name, or None."""
        key = key_of(name)
        return cls.get_or_none(cls.image_key == key) if key else None

    @classmethod
    def managed(cls):
        """Every item, drafts too, latest publish time first."""
        return cls.select().order_by(cls.publish_at.desc(), cls.id.desc())

    @classmethod
    def search(cls, text, limit=20):
        """Public items matching the words in text, best match first."""
        words = search_words(text)
        if not words:
            return []
        matches, best_first = db.text_search(NewsIndex, words, (3.0, 1.0))  # title words weigh more
        return list(cls.public().join(NewsIndex, on=(NewsIndex.rowid == cls.id))
                    .where(matches).order_by(best_first).limit(limit))

    def older(self):
        return (News.public().where(News.publish_at < self.publish_at)
                .order_by(News.publish_at.desc()).first())

    def newer(self):
        return (News.public().where(News.publish_at > self.publish_at)
                .order_by(News.publish_at.asc()).first())

    def save(self, *args, **kwargs):
        """Save, giving a new item a unique slug from its title, and keep the search index in step."""
        self.updated_at = now()
        with db.atomic():
            if self.id is None:
                self._insert_with_slug(*args, **kwargs)
            else:
                super().save(*args, **kwargs)
            NewsIndex.delete().where(NewsIndex.rowid == self.id).execute()
            NewsIndex.insert(rowid=self.id, title=self.title,
                             body=plain_text(self.body_html)).execute()

    def _insert_with_slug(self, *args, **kwargs):
        base = slugify(self.title)
        for number in range(1, 100):
            self.slug = base if number == 1 else f"{base}-{number}"
            try:
                with db.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError as error:
                if "slug" not in str(error):
                    raise
                self.id = None
        raise IntegrityError("no free slug for " + base)

    def delete_instance(self, *args, **kwargs):
        with db.atomic():
            NewsIndex.delete().where(NewsIndex.rowid == self.id).execute()
            return super().delete_instance(*args, **kwargs)


class NewsIndex(BaseModel):
    """The full-text index of news titles and bodies; rowid is the News id. Its table is the
    engine's own kind (balai.dbms: FTS5 on SQLite, a GIN-indexed table on PostgreSQL)."""
    rowid = IntegerField(primary_key=True)
    title = TextField()
    body = TextField()

    @classmethod
    def create_table(cls, safe=True, **options):
        cls._meta.database.create_search_table(cls)


def local_to_utc(value, timezone):
    """A naive local datetime in the village's time zone as naive UTC."""
    return value.replace(tzinfo=timezone).astimezone(datetime.timezone.utc).replace(tzinfo=None)
