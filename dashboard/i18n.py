"""Every word the investigators' app shows, in Chinese (the default) and English.

One table, so a missing translation is a missing key that a test finds, not
a half-English screen. Typology and status labels follow the data contract's
vocabulary; dates are written the way each language writes them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "TEXT", "TYPOLOGIES", "STATUSES", "t", "typology_label",
           "status_label", "role_label", "code_label", "format_date", "format_datetime", "date_axis", "grid_locale", "normalise_language", "LOCAL_TIME"]

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

#: key -> (Chinese, English)
TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("医保团伙线索研判", "Ring triage"),
    "nav_queue": ("预警队列", "Alert queue"),
    "nav_search": ("检索", "Search"),
    "nav_paths": ("路径查找", "Path finder"),
    "nav_audit": ("审计日志", "Audit trail"),
    "nav_logout": ("退出", "Log out"),
    "switch_language": ("English", "中文"),
    "login_title": ("登录", "Sign in"),
    "login_user": ("用户名", "User name"),
    "login_password": ("密码", "Password"),
    "login_submit": ("登录", "Sign in"),
    "login_failed": ("用户名或密码错误", "Wrong user name or password"),
    "login_throttled": ("失败次数过多，请 {seconds} 秒后再试", "Too many failures; try again in {seconds} s"),
    "col_ring_id": ("团伙编号", "Ring"),
    "col_score": ("风险分", "Score"),
    "col_typology": ("类型", "Typology"),
    "col_size": ("成员数", "Members"),
    "col_n_claims": ("结算数", "Claims"),
    "col_fund_paid": ("基金支付(元)", "Fund paid (CNY)"),
    "col_region": ("地区", "Region"),
    "col_first_seen": ("首次出现", "First seen"),
    "col_last_seen": ("最近出现", "Last seen"),
    "col_status": ("状态", "Status"),
    "col_assignee": ("经办人", "Assignee"),
    "col_claim_id": ("结算编号", "Claim"),
    "col_person": ("参保人", "Person"),
    "col_facility": ("机构", "Facility"),
    "col_practitioner": ("医师/药师", "Practitioner"),
    "col_settled_at": ("结算时间", "Settled at"),
    "col_total_amount": ("总金额(元)", "Total (CNY)"),
    "col_visit_type": ("就诊类型", "Visit type"),
    "col_at": ("时间", "Time"),
    "col_user": ("用户", "User"),
    "col_action": ("操作", "Action"),
    "col_target": ("对象", "Target"),
    "col_detail": ("详情", "Detail"),
    "col_kind": ("类别", "Kind"),
    "col_value": ("值", "Value"),
    "col_shared_with": ("共用者", "Shared with"),
    "col_name": ("名称", "Name"),
    "col_role": ("角色", "Role"),
    "col_claims_there": ("结算数", "Claims"),
    "triage_title": ("研判", "Triage"),
    "triage_assignee": ("指派给", "Assign to"),
    "triage_status": ("状态", "Status"),
    "triage_notes": ("备注", "Notes"),
    "triage_decision": ("结论", "Decision"),
    "triage_reason": ("理由", "Reason"),
    "triage_save": ("保存", "Save"),
    "triage_saved": ("已保存", "Saved"),
    "triage_need_reason": ("记录结论必须填写理由", "A decision needs a reason"),
    "triage_forbidden": ("当前角色无权记录研判", "Your role cannot record decisions"),
    "queue_title": ("最新检测批次的团伙预警", "Rings from the latest detection run"),
    "queue_open": ("打开所选团伙", "Open selected ring"),
    "queue_empty": ("尚无检测结果", "No detection run yet"),
    "ring_title": ("团伙", "Ring"),
    "ring_not_found": ("未找到该团伙", "No such ring"),
    "ring_members": ("成员与关联", "Members and links"),
    "ring_breakdown": ("各信号得分", "Score by signal"),
    "ring_timeline": ("结算时间线", "Claims over time"),
    "ring_claims": ("证据结算", "Evidence claims"),
    "ring_download": ("下载CSV", "Download CSV"),
    "ring_period": ("时间范围", "Period"),
    "ring_expand_hint": ("点击节点可展开其关联", "Click a node to expand its neighbours"),
    "ring_graph_capped": ("图中显示关联最强的 {shown} 个节点（共 {total} 个）",
                          "Showing the {shown} most linked of {total} nodes"),
    "ring_history": ("研判记录", "Triage history"),
    "entity_title": ("实体画像", "Entity profile"),
    "entity_not_found": ("未找到该实体", "No such entity"),
    "entity_identity": ("身份信息", "Identity"),
    "entity_identifiers": ("标识符及共用者", "Identifiers and who else shares them"),
    "entity_claims": ("结算时间线", "Claims timeline"),
    "entity_rings": ("所属团伙", "Rings it belongs to"),
    "entity_regions": ("就医地与参保地", "Treated regions against insured region"),
    "entity_insured_region": ("参保地", "Insured region"),
    "reveal": ("查看明文", "Reveal"),
    "reveal_reason": ("查看理由", "Reason for revealing"),
    "reveal_need_reason": ("查看明文必须填写理由", "Revealing needs a reason"),
    "reveal_forbidden": ("当前角色无权查看明文", "Your role may not reveal identifiers"),
    "paths_title": ("两实体间的路径", "Paths between two entities"),
    "paths_from": ("起点编号", "From (id)"),
    "paths_to": ("终点编号", "To (id)"),
    "paths_go": ("查找", "Find"),
    "paths_shortest": ("最短路径", "Shortest paths"),
    "paths_identifiers": ("经共用标识符的路径", "Paths through shared identifiers"),
    "paths_none": ("未找到路径", "No path found"),
    "search_title": ("检索", "Search"),
    "search_placeholder": ("姓名、身份证号(可带*)、手机号、机构名或团伙编号",
                           "Name, ID number (masked accepted), phone, facility or ring id"),
    "search_go": ("检索", "Search"),
    "search_none": ("无结果", "Nothing found"),
    "audit_title": ("审计日志", "Audit trail"),
    "nav_users": ("用户管理", "Users"),
    "users_title": ("用户管理", "User accounts"),
    "users_add": ("新增用户", "Add a user"),
    "users_name": ("用户名", "User name"),
    "users_password": ("初始密码", "Initial password"),
    "users_added": ("已新增用户 {name}（{role}）", "User {name} added ({role})"),
    "users_forbidden": ("仅管理员可管理用户", "Only an administrator manages users"),
    "col_language": ("语言", "Language"),
    "col_created_at": ("创建时间", "Created"),
    "role_investigator": ("调查员", "Investigator"),
    "role_case_officer": ("案件承办人", "Case officer"),
    "role_analyst": ("分析员", "Analyst"),
    "role_admin": ("管理员", "Administrator"),
    "forbidden": ("无权访问", "Not allowed"),
    "label_Person": ("参保人", "Person"),
    "label_Practitioner": ("医师/药师", "Practitioner"),
    "label_Facility": ("机构", "Facility"),
    "label_Ring": ("团伙", "Ring"),
    "label_Identifier": ("标识符", "Identifier"),
    "kind_phone": ("手机号", "Phone"),
    "kind_bank_account": ("银行账户", "Bank account"),
    "kind_address": ("地址", "Address"),
    "kind_device": ("设备", "Device"),
    "kind_email": ("邮箱", "Email"),
    "kind_id_card": ("身份证号", "ID card"),
    "field_name": ("姓名/名称", "Name"),
    "field_id_card": ("身份证号", "ID card"),
    "field_gender": ("性别", "Sex"),
    "field_birth_date": ("出生日期", "Born"),
    "field_region_code": ("参保地/所在地", "Region"),
    "field_insurance_type": ("险种", "Insurance"),
    "field_death_date": ("死亡日期", "Died"),
    "field_kind": ("机构类别", "Kind"),
    "field_level": ("等级", "Level"),
    "field_ownership": ("性质", "Ownership"),
    "field_role": ("岗位", "Role"),
    "field_department": ("科室", "Department"),
    "field_facility_id": ("执业机构", "Facility"),
    "field_beds": ("床位", "Beds"),
}

TYPOLOGIES: dict[str, tuple[str, str]] = {
    "card_cashout": ("空刷套现", "Card cash-out"),
    "induced_admission": ("诱导住院/假病人", "Induced admission"),
    "card_lending": ("借卡/职业骗保", "Card lending"),
    "impersonation": ("冒名就医购药", "Impersonation"),
    "drug_resale": ("回流药", "Drug resale"),
    "prescription_collusion": ("医药串通", "Prescription collusion"),
    "fictitious_services": ("虚构医药服务", "Fictitious services"),
    "other": ("其他", "Other"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "new": ("新预警", "New"),
    "in_review": ("研判中", "In review"),
    "confirmed": ("已确认", "Confirmed"),
    "dismissed": ("已排除", "Dismissed"),
    "referred": ("已移送", "Referred"),
}

#: coded values the data and the audit trail carry, by what they code
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "member_role": {
        "organiser": ("组织者", "Organiser"), "recruiter": ("招揽人", "Recruiter"),
        "cardholder": ("持卡人", "Cardholder"), "doctor": ("医师", "Doctor"),
        "pharmacist": ("药师", "Pharmacist"), "facility": ("定点机构", "Facility"),
    },
    "insurance_type": {"employee": ("职工医保", "Employee"), "resident": ("城乡居民医保", "Resident")},
    "gender": {"M": ("男", "Male"), "F": ("女", "Female")},
    "audit_action": {
        "login": ("登录", "Login"), "login_failed": ("登录失败", "Failed login"), "logout": ("退出", "Logout"),
        "reveal": ("查看明文", "Reveal"), "decision": ("研判决定", "Decision"), "download": ("下载", "Download"),
        "export": ("导出", "Export"), "user_add": ("新增用户", "User added"),
    },
}


def code_label(kind: str, value: str | None, lang: str) -> str:
    """The coded ``value`` (a member role, insurance type, gender, audit action) in ``lang``; unknown codes as they are.

    >>> code_label("member_role", "organiser", "zh"), code_label("gender", "F", "en"), code_label("gender", "X", "en")
    ('组织者', 'Female', 'X')
    """
    pair = CODES.get(kind, {}).get(value or "")
    return _pick(pair, lang) if pair else str(value or "")


#: ag-grid's own words (paging, filters), which it writes in English unless told
_GRID_ZH = {
    "page": "第", "of": "/", "to": "至", "more": "更多", "pageLastRowUnknown": "?", "pageSizeSelectorLabel": "每页行数：",
    "firstPage": "首页", "previousPage": "上一页", "nextPage": "下一页", "lastPage": "末页",
    "loadingOoo": "加载中…", "noRowsToShow": "没有数据", "filterOoo": "筛选…", "searchOoo": "搜索…",
    "contains": "包含", "notContains": "不包含", "equals": "等于", "notEqual": "不等于", "startsWith": "开头是",
    "endsWith": "结尾是", "blank": "为空", "notBlank": "不为空", "lessThan": "小于", "greaterThan": "大于",
    "lessThanOrEqual": "小于等于", "greaterThanOrEqual": "大于等于", "inRange": "介于", "inRangeStart": "从",
    "inRangeEnd": "到", "andCondition": "且", "orCondition": "或", "applyFilter": "应用", "resetFilter": "重置",
    "clearFilter": "清除", "cancelFilter": "取消", "selectAll": "全选", "blanks": "（空）",
}


def grid_locale(lang: str) -> dict[str, str]:
    """The ``localeText`` that makes an ag-grid speak ``lang`` (English is its own).

    >>> grid_locale("zh")["nextPage"], grid_locale("en")
    ('下一页', {})
    """
    return dict(_GRID_ZH) if normalise_language(lang) == "zh" else {}


def normalise_language(lang: str | None) -> str:
    """``lang`` when it is one we speak, else the default (Chinese)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[LANGUAGES.index(normalise_language(lang))]


def t(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled.

    >>> t("nav_queue", "en")
    'Alert queue'
    >>> t("login_throttled", "zh", seconds=4)
    '失败次数过多，请 4 秒后再试'
    """
    text = _pick(TEXT[key], lang)
    return text.format(**values) if values else text


def typology_label(typology: str | None, lang: str) -> str:
    """The typology's name in ``lang``; an unknown code is shown as it is."""
    return _pick(TYPOLOGIES[typology], lang) if typology in TYPOLOGIES else str(typology or "")


def status_label(status: str | None, lang: str) -> str:
    """The triage status's name in ``lang`` (a ring nobody touched is ``new``)."""
    return _pick(STATUSES.get(status or "new", STATUSES["new"]), lang)


#: the users' clock: China keeps UTC+8 all year; times stored with a zone (the app's own, in UTC) are shown on it
LOCAL_TIME = timezone(timedelta(hours=8))


def _as_datetime(value: object) -> datetime | date | None:
    """``value`` as a date or time, a zoned time moved to :data:`LOCAL_TIME`; None when it is neither."""
    if hasattr(value, "to_native"):  # a neo4j.time value
        value = value.to_native()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_TIME)
    return value if isinstance(value, (date, datetime)) else None


def role_label(role: str | None, lang: str) -> str:
    """The role's name in ``lang``; an unknown role is shown as it is.

    >>> role_label("case_officer", "zh"), role_label("admin", "en")
    ('案件承办人', 'Administrator')
    """
    key = f"role_{role}"
    return t(key, lang) if key in TEXT else str(role or "")


def format_date(value: object, lang: str) -> str:
    """A date (or time, or ISO string) the way ``lang`` writes a day.

    >>> format_date("2024-03-05T09:41:00", "zh"), format_date("2024-03-05", "en")
    ('2024年3月5日', '5 Mar 2024')
    """
    if value is None or value == "":
        return ""
    found = _as_datetime(value)
    if found is None:
        return str(value)
    day = found.date() if isinstance(found, datetime) else found
    if normalise_language(lang) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%b')} {day.year}"


def format_datetime(value: object, lang: str) -> str:
    """A time (or ISO string) as ``lang`` writes a day, then hour and minute on the users' clock.

    Times without a zone (a claim's settlement time) are local already and
    shown as they are.

    >>> format_datetime("2024-03-05T09:41:00", "zh"), format_datetime("2024-03-05T09:41:00", "en")
    ('2024年3月5日 09:41', '5 Mar 2024 09:41')
    >>> format_datetime("2024-03-05T23:30:00+00:00", "zh"), format_datetime("2024-03-05", "en")
    ('2024年3月6日 07:30', '5 Mar 2024')
    """
    found = _as_datetime(value)
    if not isinstance(found, datetime) or (isinstance(value, str) and "T" not in value and " " not in value):
        return format_date(value, lang)
    return f"{format_date(found, lang)} {found:%H:%M}"


#: d3 time formats (plotly's) for a day and for a month, per language
_AXIS_FORMATS = {"zh": ("%Y年%-m月%-d日", "%Y年%-m月"), "en": ("%-d %b %Y", "%b %Y")}


def date_axis(lang: str) -> dict[str, object]:
    """Plotly axis settings that write dates as ``lang`` does: days when zoomed in, months when not.

    >>> date_axis("zh")["hoverformat"]
    '%Y年%-m月%-d日'
    """
    day, month = _AXIS_FORMATS[normalise_language(lang)]
    return {"type": "date", "hoverformat": day,
            "tickformatstops": [{"dtickrange": [None, "M1"], "value": day},
                                {"dtickrange": ["M1", None], "value": month}]}
