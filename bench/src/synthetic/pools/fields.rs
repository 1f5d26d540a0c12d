//! Shared form fields: one definition per key.

/// A form field: key, Chinese and English label, type, extra TOML lines
/// (validation options), data-set field that pre-fills it.
pub struct FieldDef {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub ty: &'static str,
    pub options: &'static [(&'static str, &'static str)],
    pub prefill: Option<&'static str>,
}

const fn field(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    ty: &'static str,
) -> FieldDef {
    FieldDef {
        key,
        zh,
        en,
        ty,
        options: &[],
        prefill: None,
    }
}

const fn with(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    ty: &'static str,
    options: &'static [(&'static str, &'static str)],
) -> FieldDef {
    FieldDef {
        key,
        zh,
        en,
        ty,
        options,
        prefill: None,
    }
}

const fn prefilled(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    ty: &'static str,
    prefill: &'static str,
) -> FieldDef {
    FieldDef {
        key,
        zh,
        en,
        ty,
        options: &[],
        prefill: Some(prefill),
    }
}

/// Shared form fields (the value of each option is written as TOML as is).
pub const FIELDS: &[FieldDef] = &[
    with(
        "applicant.name",
        "申请人姓名",
        "Applicant name",
        "text",
        &[("max_length", "50")],
    ),
    prefilled(
        "applicant.resident_id",
        "申请人公民身份号码",
        "Applicant resident ID",
        "resident_id",
        "household.resident_id",
    ),
    field("applicant.phone", "联系电话", "Phone", "phone"),
    prefilled(
        "applicant.address",
        "户籍地址",
        "Registered address",
        "text",
        "household.address",
    ),
    with(
        "applicant.gender",
        "性别",
        "Sex",
        "choice",
        &[("options", r#"["男", "女"]"#)],
    ),
    prefilled(
        "applicant.birth_date",
        "出生日期",
        "Date of birth",
        "date",
        "household.birth_date",
    ),
    with(
        "applicant.email",
        "电子邮箱",
        "Email",
        "text",
        &[("max_length", "100"), ("pattern", r#""^[^@ ]+@[^@ ]+$""#)],
    ),
    with(
        "enterprise.name",
        "企业名称",
        "Enterprise name",
        "text",
        &[("max_length", "100")],
    ),
    prefilled(
        "enterprise.uscc",
        "统一社会信用代码",
        "Unified social credit code",
        "uscc",
        "enterprise.uscc",
    ),
    with(
        "enterprise.legal_rep_name",
        "法定代表人姓名",
        "Legal representative name",
        "text",
        &[("max_length", "50")],
    ),
    field(
        "enterprise.legal_rep_resident_id",
        "法定代表人公民身份号码",
        "Legal representative resident ID",
        "resident_id",
    ),
    with(
        "enterprise.registered_capital_wan",
        "注册资本（万元）",
        "Registered capital (10,000 yuan)",
        "number",
        &[("min", "1"), ("max", "10000000")],
    ),
    with(
        "enterprise.type",
        "企业类型",
        "Enterprise type",
        "choice",
        &[(
            "options",
            r#"["有限责任公司", "股份有限公司", "个人独资企业", "合伙企业"]"#,
        )],
    ),
    with(
        "enterprise.employees",
        "从业人数",
        "Employees",
        "number",
        &[("min", "1"), ("max", "1000000")],
    ),
    with(
        "enterprise.business_scope",
        "经营范围",
        "Business scope",
        "text",
        &[("max_length", "2000")],
    ),
    with(
        "venue.address",
        "经营场所地址",
        "Premises address",
        "text",
        &[("max_length", "200")],
    ),
    field("venue.region", "所在区县", "District", "region"),
    with(
        "venue.area_m2",
        "经营面积（平方米）",
        "Floor area (m²)",
        "number",
        &[("min", "1"), ("max", "1000000")],
    ),
    with(
        "venue.seats",
        "座位数",
        "Seats",
        "number",
        &[("min", "1"), ("max", "100000")],
    ),
    with(
        "venue.postcode",
        "邮政编码",
        "Postcode",
        "text",
        &[("pattern", r#""^[0-9]{6}$""#)],
    ),
    with(
        "venue.floors",
        "楼层数",
        "Floors",
        "number",
        &[("min", "1"), ("max", "200")],
    ),
    with(
        "project.name",
        "项目名称",
        "Project name",
        "text",
        &[("max_length", "200")],
    ),
    with(
        "project.investment_wan",
        "总投资（万元）",
        "Total investment (10,000 yuan)",
        "number",
        &[("min", "1"), ("max", "100000000")],
    ),
    field(
        "project.start_date",
        "计划开工日期",
        "Planned start date",
        "date",
    ),
    with(
        "project.land_area_m2",
        "用地面积（平方米）",
        "Land area (m²)",
        "number",
        &[("min", "1"), ("max", "100000000")],
    ),
    with(
        "project.code",
        "项目代码",
        "Project code",
        "text",
        &[(
            "pattern",
            r#""^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$""#,
        )],
    ),
    with(
        "vehicle.plate",
        "号牌号码",
        "Plate number",
        "text",
        &[(
            "pattern",
            r#""^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}$""#,
        )],
    ),
    with(
        "vehicle.vin",
        "车辆识别代号",
        "Vehicle identification number",
        "text",
        &[("pattern", r#""^[A-HJ-NPR-Z0-9]{17}$""#)],
    ),
    prefilled(
        "property.certificate_no",
        "不动产权证书号",
        "Property certificate number",
        "text",
        "real_estate.certificate_no",
    ),
    with(
        "property.area_m2",
        "建筑面积（平方米）",
        "Building area (m²)",
        "number",
        &[("min", "1"), ("max", "1000000")],
    ),
    with(
        "property.price_yuan",
        "成交价格（元）",
        "Price (yuan)",
        "number",
        &[("min", "1"), ("max", "10000000000")],
    ),
    with(
        "bank.account",
        "银行账号",
        "Bank account",
        "text",
        &[("pattern", r#""^[0-9]{12,19}$""#)],
    ),
    with(
        "bank.name",
        "开户银行",
        "Bank",
        "text",
        &[("max_length", "100")],
    ),
    with(
        "application.reason",
        "申请事由",
        "Reason",
        "text",
        &[("max_length", "500")],
    ),
    field(
        "application.date",
        "申请日期",
        "Date of application",
        "date",
    ),
    field(
        "application.by_agent",
        "是否委托代理",
        "Through an agent",
        "bool",
    ),
    with(
        "person.marital_status",
        "婚姻状况",
        "Marital status",
        "choice",
        &[("options", r#"["未婚", "已婚", "离异", "丧偶"]"#)],
    ),
    with(
        "person.education",
        "学历",
        "Education",
        "choice",
        &[(
            "options",
            r#"["初中及以下", "高中", "大专", "本科", "研究生"]"#,
        )],
    ),
    prefilled(
        "person.social_insurance_no",
        "社会保障号码",
        "Social insurance number",
        "text",
        "social_insurance.insured_no",
    ),
    prefilled(
        "person.household_no",
        "户号",
        "Household number",
        "text",
        "household.household_no",
    ),
];
