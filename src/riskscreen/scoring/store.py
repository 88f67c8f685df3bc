"""Saving and loading a model with its card: hash checks and an allow-list before anything is unpickled."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskscreen.errors import ModelError, OutputExistsError, UsageError, msg
from riskscreen.files import private_folder, read_regular
from riskscreen.scoring.additive import AdditiveParameters
from riskscreen.scoring.card import ModelCard, Scoring, card_json, parse_card
from riskscreen.scoring.model import FittedModel, LinearParameters
from riskscreen.settings import environment

FORMAT_VERSION = 1
MODEL_FILE = "model.pkl"
CARD_JSON = "card.json"
CARD_MD = "card.md"
MAX_CARD_BYTES = 16 << 20  # a card is some tens of kilobytes
MAX_MODEL_BYTES = 256 << 20
DEFAULT_MODEL = "demo"
# The only globals a fitted riskscreen pipeline needs; anything else in a pickle is refused before it runs.
SAFE_GLOBALS = {
    ("numpy", "dtype"),
    ("numpy", "ndarray"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "_reconstruct"),
}
SAFE_SKLEARN_CLASSES = {
    ("sklearn.pipeline", "Pipeline"),
    ("sklearn.impute._base", "SimpleImputer"),
    ("sklearn.preprocessing._data", "StandardScaler"),
    ("sklearn.linear_model._logistic", "LogisticRegression"),
    # the additive shape's estimator and its numbers (numpy arrays only)
    ("riskscreen.training.additive_fit", "AdditiveClassifier"),
    ("riskscreen.scoring.additive", "AdditiveParameters"),
}


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in SAFE_GLOBALS or (module, name) in SAFE_SKLEARN_CLASSES:
            return super().find_class(module, name)
        raise ModelError(
            msg(
                "the model file refers to '{module}.{name}', which a riskscreen model never needs; "
                "refused without running it",
                module=module,
                name=name,
            ),
            hint=msg("use a model made by `riskscreen train`; a model file from elsewhere can run code"),
        )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def card_digest(card: dict[str, Any] | ModelCard) -> str:
    """The card's own checksum, over everything but the checksum itself."""
    data = card.as_dict() if isinstance(card, ModelCard) else card
    body = {k: v for k, v in data.items() if k != "card_sha256"}
    return sha256_of(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to score, its card, and where it came from."""

    fitted: FittedModel
    card: ModelCard
    path: Path

    @property
    def name(self) -> str:
        return self.card.name

    @property
    def is_demonstration(self) -> bool:
        return self.card.demonstration

    @property
    def source(self) -> str:
        """Where the model came from, as every output says it: "bundled", or its folder."""
        try:
            if self.path.resolve().parent == bundled_dir().resolve():
                return "bundled"
        except OSError:
            pass
        return str(self.path)


def model_dirs() -> list[Path]:
    """Where models are looked up by name: $RISKSCREEN_MODELS, ./models, and the bundled models folder."""
    dirs = []
    named = environment(strict=False).models
    if named:
        dirs.append(named)
    dirs.append(Path.cwd() / "models")
    dirs.append(bundled_dir())
    unique: list[Path] = []
    for d in dirs:
        if d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def bundled_dir() -> Path:
    """The bundled models: the package's riskscreen.models (models/ at the top of the repository, shipped in
    the wheel), or the repository's models/ folder when riskscreen runs from a source tree."""
    spec = importlib.util.find_spec("riskscreen.models")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[3] / "models"


def resolve(ref: str | None) -> Path:
    """A model's folder: a path (with a folder separator, or a folder that no model name matches), or a name.

    A name is looked up in the bundled models first, so a folder ./models/demo can never pass for the bundled
    demonstration model; then in $RISKSCREEN_MODELS and ./models. A shadowed folder is used by its path.
    """
    ref = ref or DEFAULT_MODEL
    candidate = Path(ref)
    if os.sep in ref or candidate.suffix or ref.startswith("."):
        if not candidate.is_dir():
            raise UsageError(
                msg("no model folder at {candidate}", candidate=candidate),
                hint=msg("`riskscreen model list` shows the models"),
            )
        return candidate
    bundled = bundled_dir()
    for folder in [bundled] + [d for d in model_dirs() if d.resolve() != bundled.resolve()]:
        if (folder / ref / CARD_JSON).exists() or (folder / ref / MODEL_FILE).exists():
            return folder / ref
    if candidate.is_dir():
        return candidate
    raise UsageError(
        msg("no model named '{ref}'", ref=ref),
        hint=msg("`riskscreen model list` shows the models; or give the path of a model folder"),
    )


def _card_data(folder: Path) -> dict[str, Any]:
    path = folder / CARD_JSON
    if not path.exists():
        raise ModelError(
            msg("model {folder} has no {card_json}: refused", folder=folder, card_json=CARD_JSON),
            hint=msg("a model must come with the card `riskscreen train` writes beside it"),
        )
    raw = read_regular(path, limit=MAX_CARD_BYTES, error=ModelError, what=msg("model card"))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ModelError(
            msg("the card {path} cannot be read as JSON: refused", path=path),
            hint=msg("train the model again, or restore the card from where the model came from"),
        ) from None
    if not isinstance(data, dict):
        raise ModelError(msg("the card {path} is not a model card: refused", path=path))
    return data


def read_card(folder: Path) -> ModelCard:
    """A model folder's card, typed; refused when it is missing, not JSON, or not a card."""
    return parse_card(_card_data(folder), source=str(folder / CARD_JSON))


def _verified(ref: str | None) -> tuple[Path, ModelCard, bytes]:
    """The model folder, its card and model file, after every check that needs no unpickling."""
    folder = resolve(ref)
    data = _card_data(folder)
    if data.get("card_sha256") != card_digest(data):
        raise ModelError(
            msg("the card of {folder} was changed after training: refused", folder=folder),
            hint=msg("restore the original card.json, or train the model again"),
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(
            msg(
                "model {folder} has format version {version}; this riskscreen reads version {format_version}",
                folder=folder,
                version=version,
                format_version=FORMAT_VERSION,
            ),
            hint=msg("train the model again with this version of riskscreen"),
        )
    card = parse_card(data, source=str(folder / CARD_JSON))
    model_path = folder / MODEL_FILE
    payload = read_regular(model_path, limit=MAX_MODEL_BYTES, error=ModelError, what=msg("model file"))
    if sha256_of(payload) != card.model_sha256:
        raise ModelError(
            msg("{model_path} does not match the SHA-256 in its card: refused before loading", model_path=model_path),
            hint=msg("the file was changed or damaged; restore it or train the model again"),
        )
    return folder, card, payload


def load_model(ref: str | None = None) -> LoadedModel:
    """A model ready to score, checked (card checksum, format version, model file SHA-256) and built from the
    card's numbers: scoring never unpickles anything, so a model file cannot run code here."""
    folder, card, _data = _verified(ref)
    if card.scoring is None or not {"high", "elevated"} <= set(card.bands):
        raise ModelError(msg("the card of {folder} lacks its scoring parameters or bands: refused", folder=folder))
    numbers = card.scoring.model_dump()
    parameters = (
        AdditiveParameters.from_dict(numbers)
        if card.scoring.kind == "additive"
        else LinearParameters.from_dict(numbers)
    )
    calibration = (card.calibration[0], card.calibration[1]) if len(card.calibration) == 2 else (1.0, 0.0)
    fitted = FittedModel(
        parameters=parameters,
        bands=dict(card.bands),
        dropped=list(card.features_dropped),
        calibration=calibration,
        params=card.parameters.as_dict(),
        season_shifts=dict(card.season_shifts or {}),
    )
    return LoadedModel(fitted, card, folder)


def load_pipeline(ref: str | None = None, *, trust: bool = False) -> object:
    """The scikit-learn Pipeline of a model, for analysts. After the same checks as load_model, only the
    allow-listed classes are unpickled (trust=True lifts that for a hash-checked model you trust)."""
    folder, _card, data = _verified(ref)
    try:
        return pickle.loads(data) if trust else _AllowListUnpickler(io.BytesIO(data)).load()
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(
            msg("model file {value} cannot be loaded ({name})", value=folder / MODEL_FILE, name=type(exc).__name__),
            hint=msg("it may come from an incompatible scikit-learn; train the model again"),
        ) from None


def save_model(
    fitted: FittedModel, card: ModelCard, out_dir: Path, *, force: bool = False, markdown: str | None = None
) -> Path:
    """Write model.pkl, card.json and card.md into out_dir as one step; an existing folder needs force."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not force:
        raise OutputExistsError(
            msg("{out_dir} already exists", out_dir=out_dir), hint=msg("choose another `out`, or add `force`")
        )
    private_folder(out_dir.parent)
    if fitted.pipeline is None:
        raise ModelError(msg("only a model trained in this run can be saved"))
    data = pickle.dumps(fitted.pipeline, protocol=5)
    card = card.model_copy(
        update={
            "scoring": Scoring.model_validate(fitted.parameters.as_dict()),
            "format_version": FORMAT_VERSION,
            "model_sha256": sha256_of(data),
        }
    )
    card = card.model_copy(update={"card_sha256": card_digest(card)})
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=out_dir.parent))
    try:
        (staging / MODEL_FILE).write_bytes(data)
        (staging / CARD_JSON).write_text(card_json(card), encoding="utf-8")
        if markdown is not None:
            (staging / CARD_MD).write_text(markdown, encoding="utf-8")
        for child in staging.iterdir():
            child.chmod(0o644)
        staging.chmod(0o755)
        if out_dir.exists():
            backup = out_dir.with_name(f".{out_dir.name}.old")
            os.replace(out_dir, backup)
            os.replace(staging, out_dir)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staging)
    return out_dir


def list_models() -> list[tuple[Path, ModelCard | None]]:
    out: list[tuple[Path, ModelCard | None]] = []
    seen: set[Path] = set()
    for folder in model_dirs():
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if sub.is_dir() and (sub / CARD_JSON).exists() and sub.resolve() not in seen:
                seen.add(sub.resolve())
                try:
                    out.append((sub, read_card(sub)))
                except ModelError:
                    out.append((sub, None))
    return out
