"""The JSON the service answers with, as marshmallow schemas: the source of the OpenAPI response schemas.

These schemas describe; they do not produce the answers (the engine does). ``api_spec.py`` turns them
into ``components.schemas`` and a unit test checks real answers against them, so a change to an
answer's shape that is not written down here fails the tests. Marshmallow's default ``unknown=RAISE``
makes each of them ``additionalProperties: false``: an undocumented key is a conformance failure.
"""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields
from marshmallow.validate import Length, OneOf, Regexp

# A decimal as the service writes it: plain positional notation, never an exponent, never a float.
MONEY_OUT = r"^-?[0-9]+(\.[0-9]+)?$"
SEVERITIES = ("info", "warning", "violation")


def _money(description: str) -> fields.String:
    return fields.String(required=True, validate=Regexp(MONEY_OUT), metadata={"description": description})


def _texts(description: str = "") -> fields.List:
    return fields.List(fields.String(), required=True, metadata={"description": description})


class FieldProblemSchema(Schema):
    path = fields.String(required=True,
                         metadata={"description": "出错字段的路径，如 facts.events[0].date；空串指整个请求"})
    message = fields.String(required=True, metadata={"description": "中文说明"})


class ErrorsSchema(Schema):
    errors = fields.List(fields.Nested(FieldProblemSchema), required=True, validate=Length(min=1))


class PolicySummarySchema(Schema):
    family = fields.String(required=True)
    version = fields.String(required=True)
    document = fields.String(required=True, metadata={"description": "文号，如 临兰政发〔2022〕1号"})
    effective_from = fields.Date(required=True)
    effective_to = fields.Date(required=True, allow_none=True, metadata={"description": "含当日；null 为未规定终止日"})
    content_hash = fields.String(required=True, validate=Regexp(r"^sha256:[0-9a-f]{64}$"))


class ItemSchema(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    amount = _money("金额（元），十进制字符串，按该项声明的舍入规则舍入")
    articles = _texts("所依据的条款")
    explanation = fields.String(required=True)


# the finding codes the engine itself gives, beside those of the rules (GET /policies/<family>/<version>)
ENGINE_FINDINGS = ("no_policy_in_force：某日期或某事件没有施行中的版本；once_only：一次性的补助已按较早的事件计发；"
                   "paid_exceeds_granted：某项已拨付超过本次认定的金额；overpaid：已拨付合计超过补助合计；"
                   "另有规则给出终止状态时，以该状态为代码的一条 info（如 not_compensable），写明理由")


class FindingSchema(Schema):
    code = fields.String(required=True, metadata={"description": "规则的提示代码，或引擎自身的：" + ENGINE_FINDINGS})
    severity = fields.String(required=True, validate=OneOf(SEVERITIES))
    message = fields.String(required=True)
    articles = _texts("所依据的条款")
    indicator = fields.String(metadata={"description": "targets：指标编号"})
    lead_units = fields.List(fields.String(), metadata={"description": "targets：牵头单位"})


class InterpretationUsedSchema(Schema):
    id = fields.String(required=True)
    note = fields.String(required=True, metadata={"description": "条款、引文及所采用的解读"})


class TraceEntrySchema(Schema):
    rule = fields.String(required=True)
    article = fields.String(required=True)
    fired = fields.Boolean(required=True)
    condition = fields.String(required=True)
    element = fields.String(metadata={"description": "逐项规则所针对的列表元素，如 events[1]"})
    note = fields.String()
    failed = fields.String(metadata={"description": "未触发时不成立的那部分条件"})


class AnswerSchema(Schema):
    decision_id = fields.String(required=True, validate=Length(min=1))
    status = fields.String(required=True,
                           metadata={"description": "evaluated、no_policy_in_force 或规则给出的终止状态"})
    policy = fields.Nested(PolicySummarySchema, required=True, allow_none=True)
    governing_date = fields.Date(required=True, allow_none=True, metadata={"description": "选定版本所依据的日期"})
    quantities = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), required=True)
    items = fields.List(fields.Nested(ItemSchema), required=True)
    total = _money("合计（元）：计入合计的各项之和。各项是否计入、是否减去，"
                   "见 GET /policies/<family>/<version> 中规则的 in_total；"
                   "征收补偿中，产权调换方式下“被征收房屋价值补偿”（house_value）抵作安置房价款，不计入，"
                   "“产权调换结算”（swap_settlement，正数由被征收人支付）从合计中减去，"
                   "所以合计为负数时，是被征收人应支付的净额")
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    interpretations = fields.List(fields.Nested(InterpretationUsedSchema), required=True)
    trace = fields.List(fields.Nested(TraceEntrySchema), required=True,
                        metadata={"description": "?explain=1 时列出考虑过的每条规则；否则为空"})
    reason = fields.String(metadata={"description": "status 不是 evaluated 时的理由"})
    paid = fields.String(validate=Regexp(MONEY_OUT), metadata={"description": "已拨付合计（有扣减的案件类型）"})
    due = fields.String(validate=Regexp(MONEY_OUT), metadata={"description": "合计减已拨付"})
    governing_dates = fields.Dict(keys=fields.String(), values=fields.Date(),
                                  metadata={"description": "各元素自身的管辖日期（如 events[0]）"})
    versions_used = fields.List(fields.Nested(PolicySummarySchema),
                                metadata={"description": "案件跨越多个版本时，用到的每个版本"})


class PolicyVersionSchema(PolicySummarySchema):
    title = fields.String(required=True)


class FamilyListingSchema(Schema):
    family = fields.String(required=True)
    kinds = _texts("案件类型")
    versions = fields.List(fields.Nested(PolicyVersionSchema), required=True)


class PoliciesSchema(Schema):
    content_hash = fields.String(required=True)
    families = fields.List(fields.Nested(FamilyListingSchema), required=True)


class ParameterValueSchema(Schema):
    from_ = fields.Date(required=True, data_key="from")
    value = fields.String(required=True)
    article = fields.String(required=True)
    text = fields.String(required=True)


class ParameterSchema(Schema):
    label = fields.String(required=True)
    unit = fields.String(required=True)
    values = fields.List(fields.Nested(ParameterValueSchema), required=True)


class InterpretationSchema(Schema):
    id = fields.String(required=True)
    article = fields.String(required=True)
    text = fields.String(required=True)
    reading = fields.String(required=True)
    alternative = fields.String(required=True)
    source = fields.String(required=True)


class ArticleSchema(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True, validate=OneOf(("computed", "procedural", "declaratory")))
    text = fields.String(required=True)
    chapter = fields.String(required=True)
    note = fields.String(required=True)


class RuleSchema(Schema):
    class Meta:
        unknown = INCLUDE  # the rule listing is for reading; its details may grow

    id = fields.String(required=True)
    article = fields.String(required=True)
    text = fields.String(required=True)
    when = fields.String(required=True)


class CaseDescriptionSchema(Schema):
    governing_date = fields.String(required=True, metadata={"description": "管辖日期所取的事实，如 events[].date"})
    rules = fields.List(fields.Nested(RuleSchema), required=True)


class PolicyDetailSchema(PolicySummarySchema):
    document = fields.Dict(keys=fields.String(), values=fields.String(), required=True)  # type: ignore[assignment]
    validity = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    file = fields.String(required=True)
    parameters = fields.Dict(keys=fields.String(), values=fields.Nested(ParameterSchema), required=True)
    interpretations = fields.List(fields.Nested(InterpretationSchema), required=True)
    articles = fields.List(fields.Nested(ArticleSchema), required=True)
    cases = fields.Dict(keys=fields.String(), values=fields.Nested(CaseDescriptionSchema), required=True)


class DatabaseStateSchema(Schema):
    kind = fields.String(required=True, validate=OneOf(["sqlite", "postgresql"]))
    status = fields.String(required=True, validate=OneOf(["ok", "error"]))
    message = fields.String(metadata={"description": "不可用时的原因"})


class HealthSchema(Schema):
    status = fields.String(required=True, validate=OneOf(["ok", "degraded"]),
                           metadata={"description": "degraded：决定日志数据库不可用（HTTP 503）"})
    policies = fields.String(required=True, metadata={"description": "当前政策集的内容哈希"})
    backend = fields.String(required=True)
    families = _texts("已加载的政策族")
    reloads = fields.Integer(required=True, metadata={"description": "启动以来成功的热更新次数"})
    last_reload_error = fields.List(fields.Nested(FieldProblemSchema), required=True, allow_none=True,
                                    metadata={"description": "最近一次被拒绝的热更新的问题（文件:行:列）；无则为 null"})
    database = fields.Nested(DatabaseStateSchema, required=True)


class BatchResultSchema(Schema):
    index = fields.Integer(required=True, metadata={"description": "案件在 cases 中的序号（从 0 起）"})
    answer = fields.Dict(metadata={"description": "该案件的答复（同 POST /evaluate 的 200 答复）"})
    errors = fields.List(fields.Nested(FieldProblemSchema),
                         metadata={"description": "该案件的问题，路径以 cases[序号] 开头"})


class BatchAnswerSchema(Schema):
    evaluated = fields.Integer(required=True)
    rejected = fields.Integer(required=True)
    results = fields.List(fields.Nested(BatchResultSchema), required=True)


class DecisionSchema(Schema):
    decision_id = fields.String(required=True, validate=Regexp(r"^[0-9a-f]{32}$"))
    created_at = fields.String(required=True, metadata={"description": "记录时间（UTC，ISO 8601）"})
    family = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, allow_none=True)
    version = fields.String(required=True, allow_none=True)
    policy_hash = fields.String(required=True, allow_none=True, metadata={"description": "所用版本的内容哈希"})
    policy_set = fields.String(required=True, metadata={"description": "当时整个政策集的内容哈希（重放用）"})
    files = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                        metadata={"description": "所用政策文件 → SHA-256"})
    input = fields.Raw(required=True, metadata={
        "description": "请求原文（带小数点或指数的数值存为原样的十进制字符串，整数仍为整数）"})
    input_masked = fields.Boolean(required=True, metadata={"description": "个人信息是否已遮蔽"})
    answer = fields.Dict(required=True, metadata={"description": "当时给出的答复"})


class DifferenceSchema(Schema):
    path = fields.String(required=True, metadata={"description": "答复中的位置，如 items.house_value.amount"})
    before = fields.Raw(required=True, allow_none=True)
    after = fields.Raw(required=True, allow_none=True)


class ReplaySchema(Schema):
    decision_id = fields.String(required=True)
    policy_set = fields.String(required=True)
    input_masked = fields.Boolean(required=True)
    reproduced = fields.Boolean(required=True, metadata={"description": "在原政策文件上重算是否与原答复一致"})
    differences_on_original_policies = fields.List(fields.Nested(DifferenceSchema), required=True)
    current_policy_set = fields.String(required=True)
    differences_on_current_policies = fields.List(fields.Nested(DifferenceSchema), required=True)
    current_answer = fields.Dict(required=True, metadata={"description": "按现行政策的答复或其错误"})


# name in components.schemas -> schema; a docstring refers to them as '#/components/schemas/<name>'
COMPONENTS: dict[str, type[Schema]] = {
    "Errors": ErrorsSchema,
    "PolicySummary": PolicySummarySchema,
    "Answer": AnswerSchema,
    "Policies": PoliciesSchema,
    "PolicyDetail": PolicyDetailSchema,
    "Health": HealthSchema,
    "BatchAnswer": BatchAnswerSchema,
    "Decision": DecisionSchema,
    "Replay": ReplaySchema,
}
