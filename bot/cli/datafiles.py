"""The catalogue of hand-edited data files: which files there are, and how each kind is checked.

``csbot data validate`` walks it; it lives with the command line because it reaches every layer.
Each kind's check is the loader the product itself uses (so a file that validates also loads), run
on the given path; every loader goes through ``knowledge.datafile``, so problems read
``file:line: message``. Dialogue sets under ``eval/dialogues`` have their own schema and checker
(``csbot eval check``) and are not listed here.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.datafile import DataError, load_model, shown_path

ROOT = Path(__file__).resolve().parent.parent.parent


def _slots(path: Path) -> None:
    from bot.slots import load_slot_specs

    load_slot_specs(path)


def _elements(path: Path) -> None:
    from bot.reply_elements import load_elements

    load_elements(path)


def _classify(path: Path) -> None:
    from bot.classify import Classifier

    Classifier.load(path)


def _dialogue(path: Path) -> None:
    from bot.facts import DialogueFile

    load_model(path, DialogueFile)


def _verification(path: Path) -> None:
    from bot.verification import VerificationFile

    load_model(path, VerificationFile)


def _company(path: Path) -> None:
    from bot.facts import CompanyFile

    load_model(path, CompanyFile)


def _escalation(path: Path) -> None:
    from bot.engine import EscalationRules

    load_model(path, EscalationRules)


def _identity(path: Path) -> None:
    from bot.identity.flow import IdentityRules

    load_model(path, IdentityRules)


def _llm_prompt(path: Path) -> None:
    from bot.drafting.llm import PromptFile

    load_model(path, PromptFile)


def _template(path: Path) -> None:
    from bot.drafting.template import TemplateFile

    load_model(path, TemplateFile)


def _understand(path: Path) -> None:
    from bot.understand.data import MODELS

    if path.stem not in MODELS:
        raise DataError(f"{shown_path(path)}:1: 不认识的词表（unknown word list）; 已知: {', '.join(sorted(MODELS))}")
    load_model(path, MODELS[path.stem])


def _events(path: Path) -> None:
    from bot.records.export import EventsFile

    load_model(path, EventsFile)


def _handover(path: Path) -> None:
    from bot.handover import HandoverFile

    load_model(path, HandoverFile)


def _customer_events(path: Path) -> None:
    from bot.customer_events import CustomerEventsFile

    load_model(path, CustomerEventsFile)


def _record_text(path: Path) -> None:
    from bot.records.record_text import RecordTextFile

    load_model(path, RecordTextFile)


def _rail_labels(path: Path) -> None:
    from bot.rail_labels import RailLabelsFile

    load_model(path, RailLabelsFile)


def _web(model_name: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        from bot.web import data_models

        load_model(path, getattr(data_models, model_name))

    return check


def _input_rails(path: Path) -> None:
    from guardrails.rails.config import load_input_config

    load_input_config(path)


def _output_rails(path: Path) -> None:
    from guardrails.rails.schema import OutputRailsFile

    load_model(path, OutputRailsFile)


def _commitments(path: Path) -> None:
    from guardrails.rails.commitments import load_commitments

    load_commitments(path)


def _pii(path: Path) -> None:
    from guardrails.pii.config import load_config_file

    load_config_file(path)


def _custom_recognizers(path: Path) -> None:
    from guardrails.pii.registry import load_custom_file

    load_custom_file(path)


def _pii_lexicon(path: Path) -> None:
    from guardrails.pii.lexicon import LexiconFile

    load_model(path, LexiconFile)


def _procedure(path: Path) -> None:
    from bot.procedures import parse_procedure

    parse_procedure(path)


def _rights_table(path: Path) -> None:
    from knowledge.rights.schema import load_table

    load_table(path)


def _rights_facts(path: Path) -> None:
    from knowledge.rights.facts import fact_reader

    fact_reader.__wrapped__(path)


def _regulations(path: Path) -> None:
    from knowledge.regulations import RegulationsFile

    load_model(path, RegulationsFile)


def _citation_topics(path: Path) -> None:
    from knowledge.relevance import _Spec

    load_model(path, _Spec)


def _law_versions(path: Path) -> None:
    from knowledge.citations import LawVersionsFile

    load_model(path, LawVersionsFile)


def _core_laws(path: Path) -> None:
    from knowledge.datafile import load_yaml, validate_data
    from knowledge.scope import CoreLawsFile, parse_core_laws

    raw = load_yaml(path)
    validate_data(raw, CoreLawsFile, path)
    parse_core_laws(raw, shown_path(path))


def _law_aliases(path: Path) -> None:
    from knowledge.law_names import LawAliasesFile

    load_model(path, LawAliasesFile)


def _repealed(path: Path) -> None:
    from knowledge.datafile import load_yaml, validate_data
    from knowledge.repealed import RepealedFile, parse_repealed

    raw = load_yaml(path)
    parse_repealed(raw, shown_path(path))
    validate_data({} if raw is None else raw, RepealedFile, path)


def _topics(path: Path) -> None:
    from knowledge.topics import load_topics_text

    load_topics_text(path.read_text(encoding="utf-8"), shown_path(path))


def _expansions(path: Path) -> None:
    from knowledge.expansion import load_expansion_text

    load_expansion_text(path.read_text(encoding="utf-8"), shown_path(path))


def _promises(path: Path) -> None:
    from eval.schemas import PromisesFile

    load_model(path, PromisesFile)


def _known_failures(path: Path) -> None:
    from eval.schemas import KnownFailuresFile

    load_model(path, KnownFailuresFile)


@dataclass(frozen=True)
class DataKind:
    """One kind of data file: its name, where such files live (globs from the repository root), its check."""

    name: str
    description: str
    patterns: tuple[str, ...]
    check: Callable[[Path], None]


KINDS: tuple[DataKind, ...] = (
    DataKind("slots", "槽位（从顾客消息中提取的信息）", ("bot/config/slots.yaml",), _slots),
    DataKind("elements", "回复必备要素", ("bot/config/elements.yaml",), _elements),
    DataKind("classify", "开场分类规则", ("bot/config/classify.yaml",), _classify),
    DataKind("dialogue", "对话话术与追问规则", ("bot/config/dialogue.yaml",), _dialogue),
    DataKind("verification", "事实核对与按手机号查单", ("bot/config/verification.yaml",), _verification),
    DataKind("company", "公司信息与常见问答", ("bot/config/company.yaml",), _company),
    DataKind("escalation", "转人工规则", ("bot/config/escalation.yaml",), _escalation),
    DataKind("identity", "个人信息请求的验证码核验", ("bot/config/identity.yaml",), _identity),
    DataKind("llm_prompt", "大模型提示词", ("bot/config/llm_prompt.yaml",), _llm_prompt),
    DataKind("templates", "回复模板", ("bot/templates/*.yaml",), _template),
    DataKind("understand", "理解层词表", ("bot/understand/data/*.yaml",), _understand),
    DataKind("handover", "人工接手与交还", ("bot/config/handover.yaml",), _handover),
    DataKind("customer_events", "满意度评价与附件用语", ("bot/config/customer_events.yaml",), _customer_events),
    DataKind("rail_names", "护栏名称与原因说明（坐席与书面记录共用）", ("bot/config/rail_labels.yaml",), _rail_labels),
    DataKind("events", "书面记录时间线用语", ("bot/records/events.yaml",), _events),
    DataKind("record_text", "书面记录的时间、护栏说明与签署", ("bot/records/record_text.yaml",), _record_text),
    DataKind("roles", "员工角色与权限", ("bot/web/roles.yaml",), _web("RolesFile")),
    DataKind("ratelimits", "访问频率限制", ("bot/web/ratelimits.yaml",), _web("RateLimitsFile")),
    DataKind("privacy_notice", "个人信息处理告知", ("bot/web/privacy_notice.yaml",), _web("PrivacyNoticeFile")),
    DataKind("steps_plain", "步骤的通俗说明", ("bot/web/steps_plain.yaml",), _web("StepsPlainFile")),
    DataKind("weak_passwords", "弱密码表", ("bot/web/weak_passwords.yaml",), _web("WeakPasswordsFile")),
    DataKind("attachments", "顾客附件类型与大小", ("bot/web/attachments.yaml",), _web("AttachmentsFile")),
    DataKind("macros", "坐席常用回复", ("bot/web/macros.yaml",), _web("MacrosFile")),
    DataKind("rail_verdicts", "护栏处理结果（坐席用）", ("bot/web/rail_labels.yaml",), _web("RailLabelsFile")),
    DataKind("widget_copy", "顾客窗口提示语", ("bot/web/widget_copy.yaml",), _web("WidgetCopyFile")),
    DataKind("input_rails", "输入护栏规则", ("guardrails/config/input_rails.yaml",), _input_rails),
    DataKind("output_rails", "输出护栏配置", ("guardrails/config/output_rails.yaml",), _output_rails),
    DataKind("commitments", "承诺用语规则", ("guardrails/config/commitments.yaml",), _commitments),
    DataKind("pii", "个人信息类型", ("guardrails/config/pii.yaml",), _pii),
    DataKind(
        "custom_recognizers",
        "公司自定义个人信息识别",
        ("guardrails/config/custom_recognizers.yaml",),
        _custom_recognizers,
    ),
    DataKind("pii_lexicon", "姓名与地址词表", ("guardrails/config/pii_lexicon.yaml",), _pii_lexicon),
    DataKind("procedures", "处理程序", ("knowledge/procedures/*.yaml",), _procedure),
    DataKind("rights_tables", "权利规则表", ("knowledge/rights/tables/*.yaml",), _rights_table),
    DataKind("rights_facts", "权利事实识别", ("knowledge/rights/facts.yaml",), _rights_facts),
    DataKind("regulations", "行政法规与部门规章", ("knowledge/data/regulations.yaml",), _regulations),
    DataKind("citation_topics", "条文主题", ("knowledge/data/citation_topics.yaml",), _citation_topics),
    DataKind("law_versions", "法律文本版本", ("knowledge/data/law_versions.yaml",), _law_versions),
    DataKind("core_laws", "核心法律", ("knowledge/data/core_laws.yaml",), _core_laws),
    DataKind("law_aliases", "法律简称", ("knowledge/data/law_aliases.yaml",), _law_aliases),
    DataKind("repealed_laws", "已废止法律", ("knowledge/data/repealed_laws.yaml",), _repealed),
    DataKind("topics", "法律咨询主题", ("knowledge/data/topics.yaml",), _topics),
    DataKind(
        "expansions", "检索扩展词", ("knowledge/data/expansions.yaml", "knowledge/data/expansions/*.yaml"), _expansions
    ),
    DataKind("promises", "承诺用语（评测）", ("eval/promises.yaml",), _promises),
    DataKind("known_failures", "已知失败的对话（评测）", ("eval/known_failures.yaml",), _known_failures),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}


def kind_of(path: Path) -> DataKind | None:
    """The kind of a data file in this repository (by where it lies), or None."""
    try:
        relative = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None
    return next((kind for kind in KINDS if any(fnmatch.fnmatch(relative, p) for p in kind.patterns)), None)


def shipped_files() -> list[Path]:
    """Every data file of every kind, in catalogue order."""
    files: list[Path] = []
    for kind in KINDS:
        for pattern in kind.patterns:
            files += sorted(ROOT.glob(pattern))
    return files


def problems_of(path: Path, kind: DataKind | None = None) -> list[str]:
    """What is wrong with one file (``file:line: message`` each); empty when it is fine."""
    kind = kind or kind_of(path)
    if kind is None:
        names = ", ".join(KINDS_BY_NAME)
        return [f"{shown_path(path)}:0: 不是已登记的数据文件；用 --kind 指定种类（{names}）"]
    if not path.is_file():
        return [f"{shown_path(path)}:0: 文件不存在（no such file）"]
    try:
        kind.check(path)
    except DataError as error:
        return list(error.problems)
    except (ValueError, KeyError, TypeError) as error:  # a loader's own check, before the schema's
        message = str(error)
        return [message if shown_path(path) in message or path.name in message else f"{shown_path(path)}:0: {message}"]
    return []


def cross_file_problems() -> list[str]:
    """Checks across files: every procedure's slots, elements and templates exist; slot roles are complete."""
    from bot.engine import Engine

    try:
        Engine.load()
    except DataError as error:
        return list(error.problems)
    return []
