//! The shared definitions matters draw from: form fields, materials and data
//! sets. A key has exactly one definition here, as in a well-kept catalog,
//! so any bundle of matters merges its form without conflict.

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

/// A material: key, Chinese and English name, source.
pub type MaterialDef = (&'static str, &'static str, &'static str, &'static str);

/// Shared materials.
pub const MATERIALS: &[MaterialDef] = &[
    (
        "application_form",
        "申请表",
        "Application form",
        "applicant",
    ),
    (
        "applicant_id_card",
        "申请人居民身份证",
        "Applicant's resident ID card",
        "exchange:household.resident_id",
    ),
    (
        "household_register",
        "户口簿",
        "Household register",
        "exchange:household.household_no",
    ),
    (
        "business_licence",
        "营业执照",
        "Business licence",
        "exchange:enterprise.licence_number",
    ),
    (
        "articles_of_association",
        "公司章程",
        "Articles of association",
        "applicant",
    ),
    (
        "legal_rep_id_card",
        "法定代表人身份证明",
        "Legal representative's ID",
        "exchange:household.resident_id",
    ),
    (
        "venue_lease",
        "经营场所使用证明",
        "Proof of use of the premises",
        "applicant",
    ),
    (
        "venue_floor_plan",
        "经营场所平面图",
        "Floor plan of the premises",
        "applicant",
    ),
    (
        "property_certificate",
        "不动产权证书",
        "Property certificate",
        "exchange:real_estate.certificate_no",
    ),
    (
        "sale_contract",
        "房屋买卖合同",
        "Sale contract",
        "applicant",
    ),
    (
        "marriage_certificate",
        "结婚证",
        "Marriage certificate",
        "exchange:marriage.certificate_no",
    ),
    (
        "tax_clearance",
        "完税证明",
        "Tax clearance",
        "exchange:tax.clearance_no",
    ),
    (
        "social_insurance_record",
        "社保缴费记录",
        "Social insurance record",
        "exchange:social_insurance.contribution_record",
    ),
    (
        "medical_insurance_record",
        "医保参保证明",
        "Medical insurance record",
        "exchange:medical_insurance.insured_no",
    ),
    (
        "birth_certificate",
        "出生医学证明",
        "Birth medical certificate",
        "exchange:birth_medical.certificate_no",
    ),
    (
        "vehicle_licence",
        "机动车行驶证",
        "Vehicle licence",
        "exchange:vehicle.licence_no",
    ),
    (
        "driving_licence",
        "机动车驾驶证",
        "Driving licence",
        "exchange:vehicle.driving_licence_no",
    ),
    (
        "power_of_attorney",
        "授权委托书",
        "Power of attorney",
        "applicant",
    ),
    ("agent_id_card", "代理人身份证明", "Agent's ID", "applicant"),
    (
        "health_certificates",
        "从业人员健康证明",
        "Staff health certificates",
        "applicant",
    ),
    (
        "food_safety_rules",
        "食品安全管理制度",
        "Food safety rules",
        "applicant",
    ),
    (
        "equipment_list",
        "主要设备设施清单",
        "Equipment list",
        "applicant",
    ),
    (
        "fire_plan",
        "消防设施平面图",
        "Fire installations plan",
        "applicant",
    ),
    (
        "fire_commitment",
        "消防安全承诺书",
        "Fire safety commitment",
        "applicant",
    ),
    (
        "eia_form",
        "环境影响登记表",
        "EIA registration form",
        "applicant",
    ),
    ("eia_report", "环境影响报告表", "EIA report", "applicant"),
    (
        "site_plan",
        "建设工程设计方案总平面图",
        "Site plan",
        "applicant",
    ),
    (
        "land_certificate",
        "建设用地规划许可证",
        "Land-use planning permit",
        "exchange:ecert.certificate_no",
    ),
    (
        "construction_contract",
        "施工合同",
        "Construction contract",
        "applicant",
    ),
    (
        "construction_drawings",
        "施工图设计文件审查合格书",
        "Drawing review certificate",
        "applicant",
    ),
    (
        "safety_plan",
        "安全生产管理制度",
        "Safety management rules",
        "applicant",
    ),
    (
        "staff_qualifications",
        "从业人员资格证明",
        "Staff qualifications",
        "applicant",
    ),
    (
        "professional_certificate",
        "职业资格证书",
        "Professional certificate",
        "exchange:ecert.certificate_no",
    ),
    (
        "education_certificate",
        "学历证书",
        "Education certificate",
        "applicant",
    ),
    ("medical_report", "体检报告", "Medical report", "applicant"),
    ("bank_card", "本人银行卡", "Bank card", "applicant"),
    (
        "invoice_records",
        "医疗费用发票",
        "Medical invoices",
        "applicant",
    ),
    (
        "death_certificate",
        "死亡医学证明",
        "Death certificate",
        "applicant",
    ),
    (
        "retirement_approval",
        "退休审批表",
        "Retirement approval",
        "exchange:social_insurance.retirement_no",
    ),
    ("photo", "近期免冠照片", "Recent photo", "applicant"),
    (
        "commitment_letter",
        "告知承诺书",
        "Notification and commitment letter",
        "applicant",
    ),
    (
        "site_inspection_record",
        "现场核查记录",
        "Site inspection record",
        "self",
    ),
    ("review_opinion", "审查意见书", "Review opinion", "self"),
    ("expert_review", "专家评审意见", "Expert review", "self"),
    ("payment_notice", "缴款通知书", "Payment notice", "self"),
];

/// A data set: code, Chinese, English, owner, personal, fields (key, zh, en).
pub type DatasetDef = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [(&'static str, &'static str, &'static str)],
);

/// The exchange's shared data sets. Every `exchange:` source and pre-fill
/// above names one of their fields.
pub const DATASETS: &[DatasetDef] = &[
    (
        "household",
        "户籍信息",
        "Household registration",
        "gaj",
        true,
        &[
            ("name", "姓名", "Name"),
            ("resident_id", "公民身份号码", "Resident ID number"),
            ("birth_date", "出生日期", "Date of birth"),
            ("address", "户籍地址", "Registered address"),
            ("household_no", "户号", "Household number"),
        ],
    ),
    (
        "enterprise",
        "企业登记信息",
        "Enterprise registration",
        "scjg",
        false,
        &[
            ("name", "企业名称", "Name"),
            ("uscc", "统一社会信用代码", "USCC"),
            (
                "licence_number",
                "电子营业执照编号",
                "E-business-licence number",
            ),
        ],
    ),
    (
        "real_estate",
        "不动产登记信息",
        "Real estate registration",
        "zrzy",
        true,
        &[
            ("certificate_no", "不动产权证书号", "Certificate number"),
            ("owner", "权利人", "Owner"),
        ],
    ),
    (
        "tax",
        "纳税信息",
        "Tax",
        "sw",
        false,
        &[("clearance_no", "完税证明号", "Tax clearance number")],
    ),
    (
        "social_insurance",
        "社会保险信息",
        "Social insurance",
        "rsj",
        true,
        &[
            ("insured_no", "社会保障号码", "Insured number"),
            ("contribution_record", "缴费记录", "Contribution record"),
            (
                "retirement_no",
                "退休审批编号",
                "Retirement approval number",
            ),
        ],
    ),
    (
        "medical_insurance",
        "医疗保险信息",
        "Medical insurance",
        "ybj",
        true,
        &[("insured_no", "医保参保号", "Insured number")],
    ),
    (
        "marriage",
        "婚姻登记信息",
        "Marriage registration",
        "mzj",
        true,
        &[("certificate_no", "结婚证字号", "Certificate number")],
    ),
    (
        "birth_medical",
        "出生医学证明信息",
        "Birth medical certificates",
        "wjw",
        true,
        &[("certificate_no", "出生医学证明编号", "Certificate number")],
    ),
    (
        "vehicle",
        "机动车及驾驶人信息",
        "Vehicles and drivers",
        "gaj",
        true,
        &[
            ("licence_no", "行驶证号", "Vehicle licence number"),
            ("driving_licence_no", "驾驶证号", "Driving licence number"),
        ],
    ),
    (
        "ecert",
        "电子证照库",
        "E-certificate library",
        "dsj",
        false,
        &[("certificate_no", "证照编号", "Certificate number")],
    ),
];
