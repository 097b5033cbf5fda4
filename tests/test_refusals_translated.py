"""The store's refusals reach the user in the interface language.

A refusal a person can meet on screen is raised as an :class:`ErrorText`: its English
is what the log, the command line and the tests read, and the interface looks its
message id up in the "StoreErrors" context. The first tests raise a representative set
through the services and read them as the interface does, under a translator that marks
every "StoreErrors" message it translates (the Japanese of new messages comes later: this
checks the path, which a plain English string never takes). The last test keeps new
plain-English refusals out of the services the interface calls: every exception
raised there with a literal message must be an ``ErrorText`` or sit in
:data:`ALLOWED_PLAIN`, each entry saying why nobody meets it on screen.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from consult.documents.aftercare_pdf import check_out_of_hours_setting
from consult.domain import phones, signatures
from consult.domain.roles import Role
from consult.proof.timestamp_setting import check_timestamp_url
from consult.store.actions import ACTIONS
from consult.store.database import Database
from consult.store.domain_refusals import PHONE_REFUSALS, SETTING_REFUSALS, SIGNATURE_REFUSALS
from consult.store.errors import (
    AccountChangedError,
    ConflictError,
    ErrorText,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
    Term,
    ValidationError,
)
from consult.store.photo_images import prepare_photo
from consult.store.services import clinic as clinic_service
from consult.store.services import dashboard as dashboard_service
from consult.store.services import patients as patient_service
from consult.store.services import products as product_service
from consult.store.services import reception as reception_service
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.language import apply_language
from consult.ui.shell.session import AppSession
from consult.ui.widgets.refusals import refusal_message, refusal_text, refusal_words
from consult.ui.widgets.words import role_text, status_text
from tests import factories
from tests.test_language_ui import built, translations  # noqa: F401  (fixtures)

SRC = Path(__file__).resolve().parents[1] / "src" / "consult"
SERVICES = SRC / "store" / "services"
CHECKED_FOR_FORMS = (SRC / "store" / "dto.py", SRC / "store" / "photo_images.py")
"""Store modules besides the services whose checks refuse what a form sends (the
register's and the recall's filters, a photo being added)."""


class MarkingTranslator(QTranslator):
    """Says every refusal as «its message id», and nothing else: what the interface
    shows is then visibly the id's translation, its values filled in afterwards."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return f"«{source}»" if context == "StoreErrors" else ""


@pytest.fixture
def marking(qapp) -> Iterator[None]:
    translator = MarkingTranslator()
    assert QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


@pytest.fixture
def people(sqlite_db: Database) -> dict[str, object]:
    return factories.staff(ServiceContext(sqlite_db))


def refused(call, *args, **kwargs) -> StoreError:
    with pytest.raises(StoreError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_product_and_lot_refusals_take_the_translated_path(
    sqlite_db: Database, people, marking
) -> None:
    ctx = ServiceContext(sqlite_db).signed_in(people["manager"])
    made = factories.product(ctx, people["manager"], "botulinum_toxin", "Toxin A")
    duplicate = refused(
        product_service.add_product,
        ctx,
        name="Toxin A",
        manufacturer="Maker Ltd",
        source=None,
        treatment_id="botulinum_toxin",
    )
    assert isinstance(duplicate, ValidationError)
    assert duplicate.message == "A product with this name and manufacturer exists."  # English
    assert refusal_message(duplicate) == "«A product with this name and manufacturer exists.»"
    assert refusal_text(duplicate) == "name: «A product with this name and manufacturer exists.»"

    same_lot = refused(
        product_service.add_lot,
        ctx,
        made.id,
        lot_number="LOT-1",
        expiry_date=dt.date.today() + dt.timedelta(days=90),
        supplier="Maker Ltd",
        supplier_accreditation="GMP certificate",
    )
    assert refusal_message(same_lot) == "«This lot is already recorded for the product.»"

    lot = made.lots[0]
    product_service.quarantine_lot(ctx, lot.id, "Cold chain broken in transit")
    twice = refused(product_service.quarantine_lot, ctx, lot.id, "Cold chain broken again")
    assert isinstance(twice, ConflictError)
    assert str(twice) == "Lot LOT-1 is already quarantined."
    assert refusal_message(twice) == "«Lot LOT-1 is already quarantined.»"


def test_permission_refusals_name_the_action_and_the_role_in_the_interface_words(
    sqlite_db: Database, people, marking
) -> None:
    desk = ServiceContext(sqlite_db).signed_in(people["reception"])
    denied = refused(
        product_service.add_product,
        desk,
        name="Filler",
        manufacturer="Maker Ltd",
        source=None,
        treatment_id="botulinum_toxin",
    )
    assert isinstance(denied, PermissionDeniedError)
    assert str(denied) == "Rita Desk may not change the product list: this needs the manager role."
    assert refusal_message(denied) == (
        "«%1 may not %2: this needs the %3 role.»".replace("%1", "Rita Desk")
        .replace("%2", "«change the product list»")
        .replace("%3", role_text(Role.MANAGER.value))
    )

    nobody = refused(
        dashboard_service.dashboard, ServiceContext(sqlite_db), dt.date.today(), dt.date.today()
    )
    assert str(nobody) == "Sign in first: to see the clinic's dashboard needs the manager role."
    assert refusal_message(nobody) == (
        f"«Sign in first: to «see the clinic's dashboard» needs the "
        f"{role_text(Role.MANAGER.value)} role.»"
    )


def test_a_permission_refusal_needing_one_of_several_roles_says_or_in_the_interface_words(
    sqlite_db: Database, people, marking
) -> None:
    desk = ServiceContext(sqlite_db).signed_in(people["reception"])
    denied = refused(product_service.list_products, desk)
    assert str(denied).endswith("this needs the practitioner or manager role.")
    roles = f"«{role_text('practitioner')} or {role_text('manager')}»"  # "%1 or %2"
    assert refusal_message(denied).endswith(f"this needs the {roles} role.»")


def test_other_refusals_take_the_translated_path(sqlite_db: Database, people, marking) -> None:
    manager = ServiceContext(sqlite_db).signed_in(people["manager"])
    backwards = refused(
        dashboard_service.dashboard, manager, dt.date(2026, 12, 2), dt.date(2026, 11, 1)
    )
    assert str(backwards) == "date_to: The end date is before the start date."
    assert refusal_message(backwards) == "«The end date is before the start date.»"

    manager_row = people["manager"]
    oneself = refused(user_service.deactivate, manager, manager_row.id, manager_row.version)
    assert refusal_message(oneself) == "«you cannot deactivate your own account»"

    empty = refused(prepare_photo, b"", "face.jpg")
    assert str(empty) == "photo: face.jpg: the file is empty."
    assert refusal_message(empty) == "«face.jpg: the file is empty.»"

    missing = refused(patient_service.get, manager, 424242)
    assert isinstance(missing, NotFoundError)
    assert str(missing) == "Patient 424242 does not exist."
    assert refusal_message(missing) == "«Patient %1 does not exist.»".replace("%1", "424242")


def test_every_phone_refusal_is_marked_and_reaches_the_screen_translated(
    sqlite_db: Database, people, marking
) -> None:
    """Each way the domain refuses a phone number is listed, word for word; the patient
    form's refusal then takes the translated path."""
    said = set()
    for typed, region in (("12", "GB"), ("12", None), ("+44 7700 900123 ext. 5", "GB")):
        with pytest.raises(phones.PhoneNumberError) as caught:
            phones.parse(typed, region)
        said.add(caught.value.message)
    assert said == PHONE_REFUSALS
    desk = ServiceContext(sqlite_db).signed_in(people["reception"])
    bad = refused(patient_service.register, desk, factories.draft(phone="12"))
    assert isinstance(bad, ValidationError) and bad.field == "phone"
    assert bad.message.startswith("Phone number: this is not a valid phone number.")
    assert refusal_message(bad) == f"«{bad.message}»"


def test_every_signature_refusal_is_marked() -> None:
    """Each way the domain refuses a signature, or an extra signer's entry a person
    fills in, is listed word for word (the consent step shows it)."""
    point = {"x": 1, "y": 1, "t": 0}
    signed = [[{"x": x, "y": (x * 7) % 60, "t": x} for x in range(0, 300, 3)]]
    said = {
        signatures.signature_problem([]),
        signatures.signature_problem([[{"x": "?", "y": 1, "t": 0}]]),
        signatures.signature_problem([[point, point]]),
        signatures.signer_problem({"role": "witness", "name": "", "strokes": signed}),
        signatures.signer_problem({"role": "guardian", "name": "Ann", "strokes": signed}),
        signatures.signer_problem({"role": "interpreter", "name": "Ann", "strokes": signed}),
        signatures.signer_problem({"role": "witness", "name": "Ann", "strokes": None}),
    }
    assert signatures.signature_problem(signed) is None  # the samples are what they say
    assert said == SIGNATURE_REFUSALS


def test_an_account_change_reaches_the_window_whole(
    qtbot, sqlite_db: Database, people, home, marking
) -> None:
    """The message a changed account is signed out with keeps its message id on its way
    to the window (a Qt signal of ``str`` would make it plain English)."""
    session = AppSession(sqlite_db, home)
    session.set_user(people["reception"])
    heard: list[object] = []
    session.account_changed.connect(heard.append)
    manager = ServiceContext(sqlite_db).signed_in(people["manager"])
    desk = people["reception"]
    user_service.deactivate(manager, desk.id, desk.version)
    with pytest.raises(AccountChangedError):
        reception_service.forms_signed_on(session.ctx)
    (message,) = heard
    assert isinstance(message, ErrorText)
    assert str(message) == "Your account has been deactivated. Ask a manager if this is a mistake."
    assert refusal_words(message) == f"«{message}»"


def test_every_typed_setting_refusal_is_marked_and_reaches_the_screen_translated(
    sqlite_db: Database, people, marking
) -> None:
    """The settings a manager types (the timestamp service, the out-of-hours telephone):
    each fixed refusal is listed, and the settings' refusal takes the translated path."""
    said = set()
    for check, typed in (
        (check_timestamp_url, "ftp://stamp.example"),
        (check_timestamp_url, "no url"),
        (check_out_of_hours_setting, "call us"),
        (check_out_of_hours_setting, "123"),
    ):
        with pytest.raises(ValueError) as caught:
            check(typed)
        said.add(str(caught.value))
    assert said == SETTING_REFUSALS
    manager = ServiceContext(sqlite_db).signed_in(people["manager"])
    version = clinic_service.get_clinic(manager).version
    bad = refused(clinic_service.update_settings, manager, version, {"out_of_hours_phone": "123"})
    assert (
        str(bad)
        == "out_of_hours_phone: the out-of-hours telephone number needs at least six digits"
    )
    assert refusal_message(bad) == "«the out-of-hours telephone number needs at least six digits»"


def test_a_refusal_is_said_in_japanese(sqlite_db: Database, people, translations) -> None:  # noqa: F811
    """With the shipped Japanese: the permission refusal's action and role, a lot's and
    a phone number's refusal, each in Japanese; the English is unchanged."""
    desk = ServiceContext(sqlite_db).signed_in(people["reception"])
    manager = ServiceContext(sqlite_db).signed_in(people["manager"])
    made = factories.product(manager, people["manager"], "botulinum_toxin", "Toxin A")
    product_service.quarantine_lot(manager, made.lots[0].id, "Cold chain broken in transit")
    denied = refused(product_service.list_products, desk)
    twice = refused(product_service.quarantine_lot, manager, made.lots[0].id, "Again, broken")
    phone = refused(patient_service.register, desk, factories.draft(phone="12"))
    apply_language("ja")
    practitioner, boss = role_text("practitioner"), role_text("manager")
    assert practitioner != "practitioner" and boss != "manager"  # the Japanese words
    assert refusal_message(denied) == (
        f"Rita Desk さんは「製品リストの表示」を行えません。{practitioner} または {boss}の"
        "役割が必要です。"
    )
    assert refusal_message(twice) == "ロット LOT-1 はすでに使用停止中です。"
    assert refusal_message(phone).startswith("電話番号: 有効な電話番号ではありません。")
    assert str(twice) == "Lot LOT-1 is already quarantined."  # the log's words


def test_a_term_is_named_in_the_interface_words_only_when_its_message_is_translated(
    qapp,
) -> None:
    """A status in a refusal: the service's English word without a translation (the
    message reads as it always did), the interface's word for it with one."""
    text = ErrorText("This consultation is %1: it cannot change.", Term("status", "closed"))
    assert str(text) == "This consultation is closed: it cannot change."
    assert refusal_words(text) == "This consultation is closed: it cannot change."
    translator = MarkingTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        assert (
            refusal_words(text)
            == f"«This consultation is {status_text('closed')}: it cannot change.»"
        )
    finally:
        QCoreApplication.removeTranslator(translator)


# --- no new plain-English refusal ------------------------------------------------------

ALLOWED_PLAIN: dict[tuple[str, str], str] = {
    # Internal: a key the program itself wrote, never one a person chooses.
    ("clinic.py", "unknown setting"): "a setting's name comes from the program",
    ("consent_register.py", "the cursor belongs to another sort order"): (
        "the register page keeps its cursor with its sort order"
    ),
    ("consents.py", "unknown purpose "): "the purpose is the program's constant",
    ("consents.py", "unknown event "): "the event kind is the program's constant",
    ("consultations.py", "expected text, a list or null"): "the wizard sends the answer's type",
    ("consultations.py", "expected a date as YYYY-MM-DD"): "a date field sends ISO dates",
    ("consultations.py", "impossible date "): "a date field sends real dates",
    ("consultations.py", "unknown question"): "questions come from the knowledge base",
    ("consultations.py", "unknown section "): "sections come from the knowledge base",
    ("consultations.py", "unknown step "): "steps are the wizard's constants",
    ("consultations.py", " is neither unchanged nor update"): "the wizard sends one of the two",
    ("consultations.py", "unknown treatment "): "treatments come from the knowledge base",
    ("kiosk.py", "unknown question"): "questions come from the knowledge base",
    ("kiosk.py", "unknown section "): "sections come from the knowledge base",
    ("kiosk.py", " is neither unchanged nor update"): "the station sends one of the two",
    ("kiosk.py", "unknown treatment "): "treatments come from the knowledge base",
    ("patient_answers.py", "unknown question"): "questions come from the knowledge base",
    ("users.py", " is not a language tag such as ja"): "the language list offers tags only",
    # Internal: a program calling a service it may not (no person's action does this).
    ("context.py", "A kiosk station may not do this: "): "the kiosk's screens call none",
    ("kiosk.py", "Only a kiosk station may "): "the desk's screens call no station service",
    # The command line's alone.
    ("clinic_signing.py", "This database was opened without a config directory."): (
        "the app always opens its home's config directory"
    ),
    ("register_export.py", "unknown export format "): "the command line's --format",
    ("register_export.py", "a FHIR export needs the knowledge base (kb)"): (
        "a programming error (ValueError), not a refusal"
    ),
    # The register's filters: chosen from lists, never typed.
    ("dto.py", "unknown state "): "the register's state filter is a list",
    ("dto.py", "unknown outcome "): "the register's outcome filter is a list",
    ("dto.py", "cannot sort by "): "the register sorts by its columns' keys",
}
"""Plain-English messages that no screen shows, by module and the message's first words
(an f-string's literal parts joined, its values left out)."""


def _plain_words(node: ast.expr | None, constants: dict[str, ast.expr]) -> str | None:
    """The literal words of a message written as plain text (a literal, an f-string, a
    concatenation of them or a module constant holding one); None for an ErrorText or a
    message computed elsewhere."""
    if isinstance(node, ast.Name) and node.id in constants:
        return _plain_words(constants[node.id], {})
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _plain_words(node.left, constants)
        return left if left is not None else _plain_words(node.right, constants)
    return None


def _message(call: ast.Call) -> ast.expr | None:
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    if name == "ValidationError":
        return call.args[1] if len(call.args) > 1 else None
    return call.args[0] if call.args else None


def plain_refusals(path: Path) -> list[tuple[int, str]]:
    """(line, words) of every exception ``path`` raises with a plain-text message."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if not name.endswith("Error"):
            continue
        words = _plain_words(_message(node.exc), constants)
        if words is not None:
            found.append((node.lineno, words))
    return found


def ui_reachable_services() -> set[str]:
    """The service modules the interface imports, and those they import in turn."""
    imported: dict[str, set[str]] = {}

    def services_imported(path: Path) -> set[str]:
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "consult.store.services":
                    names |= {alias.name for alias in node.names}
                elif node.module.startswith("consult.store.services."):
                    names.add(node.module.split(".")[3])
        return {name for name in names if (SERVICES / f"{name}.py").exists()}

    for path in SERVICES.glob("*.py"):
        imported[path.stem] = services_imported(path)
    reached: set[str] = set()
    todo = [name for path in (SRC / "ui").rglob("*.py") for name in services_imported(path)]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(imported.get(name, ()))
    return reached


def test_the_interface_reaches_most_services() -> None:
    """The scan below sees what the interface calls (it would pass vacuously if the
    import scan found nothing)."""
    reached = ui_reachable_services()
    assert {"patients", "consultations", "kiosk", "products", "context", "users"} <= reached


def test_no_service_the_interface_calls_raises_a_plain_english_refusal() -> None:
    reached = ui_reachable_services()
    scanned = [path for path in sorted(SERVICES.glob("*.py")) if path.stem in reached]
    plain = []
    used = set()
    for path in [*scanned, *CHECKED_FOR_FORMS]:
        for line, words in plain_refusals(path):
            allowed = next(
                (key for key in ALLOWED_PLAIN if key[0] == path.name and key[1] in words), None
            )
            if allowed is None:
                plain.append(f"{path.name}:{line}: {words!r}")
            else:
                used.add(allowed)
    assert not plain, (
        "raise these as ErrorText(QT_TRANSLATE_NOOP('StoreErrors', ...)) (or, if no screen "
        "can show them, list them in ALLOWED_PLAIN saying why):\n" + "\n".join(plain)
    )
    assert used == set(ALLOWED_PLAIN), f"allowed but no longer raised: {set(ALLOWED_PLAIN) - used}"


def test_the_scan_finds_a_plain_message(tmp_path: Path) -> None:
    """The scan itself: a literal, an f-string and a constant are plain; an ErrorText
    and a message computed elsewhere are not."""
    module = tmp_path / "service.py"
    module.write_text(
        "_GONE = 'It went.'\n"
        "def f(x):\n"
        "    raise ValidationError('field', 'Say why.')\n"
        "    raise NotFoundError(f'Thing {x} does not exist.')\n"
        "    raise ConflictError(_GONE)\n"
        "    raise ConflictError(ErrorText(QT_TRANSLATE_NOOP('StoreErrors', 'Fine.')))\n"
        "    raise ValidationError('field', problem)\n",
        encoding="utf-8",
    )
    assert plain_refusals(module) == [
        (3, "Say why."),
        (4, "Thing  does not exist."),
        (5, "It went."),
    ]


def test_every_action_a_service_may_refuse_is_marked_for_translation() -> None:
    """A permission refusal names the action in the interface language: every action a
    service passes to ``require`` is listed (and marked) in consult.store.actions."""
    named = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "require"
                and node.args
            ):
                action = node.args[0]
                if isinstance(action, ast.JoinedStr):
                    continue  # "mark a consent {kind}": its forms are listed by hand
                named |= {
                    sub.value
                    for sub in ast.walk(action)
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
                }
    assert len(named) > 40
    assert named - ACTIONS == set()
    assert {"mark a consent voided", "mark a consent withdrawn"} <= ACTIONS


# --- the pages say a refusal through consult.ui.widgets.refusals ------------------------

UI_PLAIN_ALLOWED: dict[tuple[str, str], str] = {
    ("widgets/refusals.py", "return str(exc)"): "the translation itself: anything else as it is",
    ("shell/app.py", "super().__init__(str(error))"): "start-up failures, before any sign-in",
    ("shell/app.py", 'reason = " ".join(str(exc).split())'): "a start-up failure's detail",
    ("shell/app.py", '.replace("%1", str(exc))'): "a start-up or backup failure's detail",
    ("manager/verify_dialog.py", "str(exc.strerror or exc)"): "an operating system's message",
    ("consent/step.py", "an unexpected error"): "a bug's text, not a refusal",
    ("consent/step.py", "in exc.message"): "read to find a section, not shown",
    ("widgets/date_field.py", "return None, str(exc)"): "the date parser's own ValueError",
}
"""Lines of the interface that show an exception's English on purpose."""


def test_the_pages_say_a_refusal_in_the_interface_language() -> None:
    """A page showing ``str(exc)`` or ``exc.message`` would show an ErrorText's English:
    every page goes through refusal_text/refusal_words/refusal_message instead."""
    shown = []
    used: set[tuple[str, str]] = set()
    for path in sorted((SRC / "ui").rglob("*.py")):
        name = path.relative_to(SRC / "ui").as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "str(exc" not in line and "exc.message" not in line and "str(error)" not in line:
                continue
            if "refusal_" in line or "_log." in line or line.lstrip().startswith(("#", '"""')):
                continue
            allowed = [key for key in UI_PLAIN_ALLOWED if key[0] == name and key[1] in line]
            if allowed:
                used.update(allowed)
                continue
            shown.append(f"{name}:{number}: {line.strip()}")
    assert not shown, "say these through consult.ui.widgets.refusals:\n" + "\n".join(shown)
    assert used == set(UI_PLAIN_ALLOWED), f"allowed but gone: {set(UI_PLAIN_ALLOWED) - used}"
