"""Vietnamese names: NFC storage, diacritic-free search key, Vietnamese sort order."""

import sqlite3
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvdesk.domain.names import fold, normalize_name, sort_key, split_name

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (NFD("nguyễn văn đức"), "Nguyễn Văn Đức"),
        (NFD("TRẦN THỊ ÁNH"), "Trần Thị Ánh"),
        ("  lê   thị\thương \n", "Lê Thị Hương"),
        ("H'Hen Niê", "H'Hen Niê"),  # mixed case is kept as typed
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_name_is_nfc_trimmed_capitalised(raw, stored):
    out = normalize_name(raw)
    assert out == stored
    assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("ĐẶNG ĐÌNH ĐẠT", "dang dinh dat"),
        (NFD("Đỗ Thị Ngọc Ánh"), "do thi ngoc anh"),
        ("  Phạm   Ưng  ", "pham ung"),
        ("Ả À Ã Á Ạ ả à ã á ạ", "a a a a a a a a a a"),
        ("ă â ê ô ơ ư Ă Â Ê Ô Ơ Ư", "a a e o o u a a e o o u"),
        ("ằ ẳ ẵ ắ ặ ầ ẩ ẫ ấ ậ", "a a a a a a a a a a"),
        ("ề ể ễ ế ệ ồ ổ ỗ ố ộ ờ ở ỡ ớ ợ", "e e e e e o o o o o o o o o o"),
        ("ừ ử ữ ứ ự ỳ ỷ ỹ ý ỵ ì ỉ ĩ í ị ù ủ ũ ú ụ", "u u u u u y y y y y i i i i i u u u u u"),
    ],
)
def test_fold_removes_case_tones_and_letter_marks(text, folded):
    assert fold(text) == folded


def test_fold_covers_every_vietnamese_letter():
    lower = (
        "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    )
    for ch in lower + lower.upper():
        assert fold(ch).isascii() and fold(ch).isalpha(), ch


def test_split_name_surname_middle_given():
    assert split_name("Nguyễn Thị Ngọc Ánh") == ("Nguyễn", "Thị Ngọc", "Ánh")
    assert split_name("Lê Na") == ("Lê", "", "Na")
    assert split_name("Ánh") == ("", "", "Ánh")


# Each list is in Vietnamese order; the tests shuffle nothing, they sort reversed input.
ORDERED = [
    # the given name first, the shorter word before its extensions, tones break ties
    ["An", "Anh", "Ánh"],
    ["Trần An", "Lê Anh", "Nguyễn Ánh"],
    ["Nguyễn Văn Dũng", "Nguyễn Văn Đức"],
    ["Trần Đức", "Nguyễn Văn Dũng"][::-1],
    ["Nguyễn An", "Nguyễn Văn An", "Trần An"],
    ["Lê Thị An", "Nguyễn An"],  # surname before middle names
    ["Nguyễn Thị Anh", "Nguyễn Văn Anh"],
    # letter order a ă â b c d đ e ê … o ô ơ … u ư
    ["Ai", "Ăn", "Ân", "Bé", "Cúc", "Dung", "Đào", "En", "Ên", "Giang"],
    ["Oanh", "Ôn", "Ơn", "Phúc"],
    ["Uyên", "Ưng", "Vân", "Xuân", "Yến"],
    # tones: ngang, huyền, hỏi, ngã, sắc, nặng
    ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"],
    ["Lê Thu", "Lê Thù", "Lê Thủ", "Lê Thũ", "Lê Thú", "Lê Thụ"],
    ["Vu", "Vù", "Vũ", "Vụ", "Vư", "Vừ", "Vữ"],
    # the given name's tone weighs more than the surname's
    ["Lệ Anh", "Lê Ánh"],
    # the roster: every "Anh" before every "Ánh", whatever the surname
    ["Cao Khánh Anh", "Đặng Kim Anh", "Bùi Ngọc Ánh", "Đặng Diệu Ánh"],
    ["Vũ Anh", "Lê Ảnh", "An Ánh"],  # ngang < hỏi < sắc, before the surname counts
    ["Lê Dũng", "Trần Dũng", "An Đức", "Lê Đức"],  # d before đ
    ["Nguyễn On", "Lê Ôn", "Bùi Ơn"],
    ["Lê Ủng", "An Ụng", "Trần Ưng", "An Ừng"],  # ủ ụ are u with a tone; ư is a letter
    # identical given names: the surname, then the middle names, each with its tone
    ["Bùi Thị Hoa", "Đỗ Thị Hoa", "Hồ Văn Hoa", "Hồ Vân Hoa", "Hổ Văn Hoa"],
    ["Nguyễn Hoa", "Nguyễn Thị Hoa", "Nguyễn Thị Thu Hoa", "Nguyễn Thu Hoa"],
    # tones letter by letter, as ICU compares a word: Hoà before Hòa
    ["Lê Hoa", "Lê Hoà", "Lê Hòa", "Lê Hóa"],
]


@pytest.mark.parametrize("names", ORDERED)
def test_sort_key_gives_vietnamese_order(names):
    assert sorted(reversed(names), key=sort_key) == names


def test_order_does_not_depend_on_input_form():
    name = "Nguyễn Văn Đức"
    assert sort_key(NFD(name)) == sort_key(name) == sort_key("  nguyễn văn   ĐỨC ")


def test_sqlite_order_by_the_stored_key_is_the_python_order():
    names = sorted({n for group in ORDERED for n in group})
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE m (name TEXT, name_sort TEXT)")
    conn.execute("CREATE INDEX m_sort ON m (name_sort)")
    conn.executemany("INSERT INTO m VALUES (?, ?)", [(n, sort_key(n)) for n in names])
    from_sql = [r[0] for r in conn.execute("SELECT name FROM m ORDER BY name_sort")]
    assert from_sql == sorted(names, key=sort_key)
    for group in ORDERED:
        positions = [from_sql.index(n) for n in group]
        assert positions == sorted(positions), group


VI_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
vi_word = st.text(alphabet=VI_LETTERS + VI_LETTERS.upper(), min_size=1, max_size=7)
vi_name = st.lists(vi_word, min_size=1, max_size=4).map(" ".join)


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vi_name)
def test_fold_of_vietnamese_is_plain_ascii(name):
    folded = fold(name)
    assert folded.isascii() and folded == folded.lower()


@given(vi_name, vi_name)
def test_sort_key_order_is_consistent(a, b):
    ka, kb = sort_key(a), sort_key(b)
    assert sort_key(a) == ka  # deterministic
    # exactly one of <, ==, > holds, and equal keys mean the same stored name up to case
    assert (ka < kb) + (ka == kb) + (ka > kb) == 1
    if ka == kb:
        assert normalize_name(a).lower() == normalize_name(b).lower()


@given(st.lists(vi_name, min_size=3, max_size=8))
def test_sort_key_order_is_transitive_and_ignores_input_order(names):
    keys = [sort_key(n) for n in sorted(names, key=sort_key)]
    assert keys == [sort_key(n) for n in sorted(reversed(names), key=sort_key)]
    a, b, c = (sort_key(n) for n in names[:3])
    if a <= b <= c:
        assert a <= c


# -- against ICU's Vietnamese collation, column by column --------------------

ICU_SCRIPT = """
import json, sys
import icu
collator = icu.Collator.createInstance(icu.Locale("vi"))
columns = json.load(sys.stdin)
print(json.dumps([[collator.getSortKey(c).hex() for c in row] for row in columns]))
"""
ICU_NAMES = sorted(
    {n for group in ORDERED for n in group}
    | {
        "Bùi Ngọc Ánh",
        "Cao Khánh Anh",
        "Đặng Diệu Ánh",
        "Đặng Kim Anh",
        "Nguyễn Văn Ảnh",
        "Trần Thị Ãnh",
        "Lê Văn Ạnh",
        "Lê Anh",
        "Lê Thị Anh",
        "Phạm Đức",
        "Phan Dũng",
        "Đỗ Ơn",
        "Đồ Ôn",
        "Do On",
        "Lý Ưng",
        "Lý Ủng",
        "Lý Ụng",
        "Lý Ùng",
        "Ngô Thị Mỹ Duyên",
        "Ngô Thị Mỹ Duyến",
        "Ngô Thị My Duyên",
        "Ngô Duyên",
        "Ngô Thi Duyên",
        "Đinh Yến",
        "Định Yến",
        "Đinh Yên",
        "Đình Yên",
        "Võ Thị Ánh Tuyết",
        "Vỏ Thị Ánh Tuyết",
        "Hồ Xuân Hương",
        "Hổ Xuân Hương",
        "Hồ Xuân Hường",
        "Hồ Xuân Hưởng",
    }
)


def _icu_keys(rows: list[list[str]]) -> list[list[str]] | None:
    """ICU sort keys (hex) of each column, from Debian's python3-icu in a subprocess."""
    import json
    import shutil
    import subprocess

    python = shutil.which("python3", path="/usr/bin")
    if python is None:
        return None
    done = subprocess.run(
        [python, "-c", ICU_SCRIPT], input=json.dumps(rows), capture_output=True, text=True
    )
    if done.returncode != 0:
        return None
    return json.loads(done.stdout)


def test_roster_order_agrees_with_icu_vietnamese_collation_column_by_column():
    columns = [[split_name(n)[2], split_name(n)[0], split_name(n)[1]] for n in ICU_NAMES]
    keys = _icu_keys(columns)
    if keys is None:
        pytest.skip(
            "ICU not available: install Debian's python3-icu for /usr/bin/python3 "
            "(apt-get install -y python3-icu); PyICU has no wheel for this Python"
        )
    icu_order = [n for _, n in sorted(zip(keys, ICU_NAMES, strict=True))]
    ours = sorted(ICU_NAMES, key=sort_key)
    assert ours == icu_order
