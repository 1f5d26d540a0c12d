//! The exchange's shared data sets.

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
