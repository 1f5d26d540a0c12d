//! Words the synthetic catalog is made of: departments, the objects and
//! actions that matter names combine, laws, life and business events.
//!
//! Names are built the way real 事项清单 entries are (对象 + 行为 + 子项), so
//! that jieba segments them, synonyms and keywords hit, and a query such as
//! 开饭店 finds what it would in a real city.

/// A department: code, Chinese and English name.
pub type Dept = (&'static str, &'static str, &'static str);

/// 40 departments of a Ningbo-like city government.
pub const DEPARTMENTS: &[Dept] = &[
    (
        "scjg",
        "宁波市市场监督管理局",
        "Administration for Market Regulation",
    ),
    (
        "wglj",
        "宁波市文化广电旅游局",
        "Culture, Radio, TV and Tourism Bureau",
    ),
    ("xf", "宁波市消防救援支队", "Fire and Rescue Detachment"),
    ("sthj", "宁波市生态环境局", "Ecology and Environment Bureau"),
    ("wjw", "宁波市卫生健康委员会", "Health Commission"),
    ("gaj", "宁波市公安局", "Public Security Bureau"),
    (
        "zjj",
        "宁波市住房和城乡建设局",
        "Housing and Urban-Rural Development Bureau",
    ),
    (
        "zrzy",
        "宁波市自然资源和规划局",
        "Natural Resources and Planning Bureau",
    ),
    ("sw", "国家税务总局宁波市税务局", "Ningbo Tax Service"),
    (
        "rsj",
        "宁波市人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
    ),
    ("mzj", "宁波市民政局", "Civil Affairs Bureau"),
    ("ybj", "宁波市医疗保障局", "Medical Security Bureau"),
    ("jtj", "宁波市交通运输局", "Transport Bureau"),
    (
        "zhzf",
        "宁波市综合行政执法局",
        "Comprehensive Law Enforcement Bureau",
    ),
    (
        "gjj",
        "宁波市住房公积金管理中心",
        "Housing Provident Fund Centre",
    ),
    (
        "fgw",
        "宁波市发展和改革委员会",
        "Development and Reform Commission",
    ),
    (
        "jxj",
        "宁波市经济和信息化局",
        "Economy and Information Technology Bureau",
    ),
    ("jyj", "宁波市教育局", "Education Bureau"),
    ("kjj", "宁波市科学技术局", "Science and Technology Bureau"),
    (
        "mzzj",
        "宁波市民族宗教事务委员会",
        "Ethnic and Religious Affairs Commission",
    ),
    ("sfj", "宁波市司法局", "Justice Bureau"),
    ("czj", "宁波市财政局", "Finance Bureau"),
    ("slj", "宁波市水利局", "Water Resources Bureau"),
    (
        "nyncj",
        "宁波市农业农村局",
        "Agriculture and Rural Affairs Bureau",
    ),
    ("swj", "宁波市商务局", "Commerce Bureau"),
    ("yjglj", "宁波市应急管理局", "Emergency Management Bureau"),
    ("tyj", "宁波市体育局", "Sport Bureau"),
    ("tjj", "宁波市统计局", "Statistics Bureau"),
    ("rfb", "宁波市人民防空办公室", "Civil Air Defence Office"),
    ("dag", "宁波市档案馆", "Municipal Archives"),
    ("qxj", "宁波市气象局", "Meteorological Bureau"),
    ("ycj", "宁波市烟草专卖局", "Tobacco Monopoly Bureau"),
    ("tyjrj", "宁波市退役军人事务局", "Veterans Affairs Bureau"),
    ("wsb", "宁波市外事办公室", "Foreign Affairs Office"),
    (
        "dsj",
        "宁波市大数据发展管理局",
        "Big Data Development Bureau",
    ),
    ("gkj", "宁波市港航管理中心", "Port and Shipping Centre"),
    ("lyj", "宁波市林业局", "Forestry Bureau"),
    ("hsj", "宁波海事局", "Maritime Safety Administration"),
    ("dzj", "宁波市地震局", "Earthquake Bureau"),
    ("cgj", "宁波市城市管理局", "Urban Management Bureau"),
];

/// What a matter is about: Chinese, English, search keywords.
pub type Object = (&'static str, &'static str, &'static [&'static str]);

/// Objects of matters.
pub const OBJECTS: &[Object] = &[
    ("食品经营", "food business", &["食品", "餐饮", "饭店"]),
    ("食品生产", "food production", &["食品", "食品厂"]),
    ("药品零售", "retail pharmacy", &["药店", "药品"]),
    ("医疗器械经营", "medical device trading", &["医疗器械"]),
    ("化妆品生产", "cosmetics production", &["化妆品"]),
    (
        "公共场所卫生",
        "public venue hygiene",
        &["卫生许可", "公共场所"],
    ),
    (
        "娱乐场所经营",
        "entertainment venue",
        &["KTV", "歌舞厅", "娱乐场所"],
    ),
    ("互联网上网服务", "internet café", &["网吧"]),
    ("旅行社业务经营", "travel agency", &["旅行社", "旅游"]),
    ("民宿经营", "homestay", &["民宿"]),
    ("印刷经营", "printing business", &["印刷"]),
    ("出版物零售", "publication retail", &["书店", "出版物"]),
    ("营业性演出", "commercial performance", &["演出"]),
    (
        "建设工程规划",
        "construction planning",
        &["规划许可", "建设工程"],
    ),
    (
        "建筑工程施工",
        "building construction",
        &["施工许可", "工地"],
    ),
    ("建设用地", "construction land", &["用地", "土地"]),
    ("不动产", "real estate", &["不动产", "房产证", "过户"]),
    ("商品房预售", "off-plan sales", &["预售", "商品房"]),
    ("房屋租赁", "house lease", &["租房", "租赁"]),
    ("物业服务", "property management", &["物业"]),
    ("城市道路占用挖掘", "road occupation", &["占道", "挖路"]),
    ("户外广告设施设置", "outdoor advertising", &["广告", "店招"]),
    ("城镇污水排入排水管网", "urban drainage", &["排水"]),
    ("建筑垃圾处置", "construction waste", &["建筑垃圾", "渣土"]),
    (
        "建设项目环境影响评价",
        "environmental impact assessment",
        &["环评"],
    ),
    ("排污", "pollutant discharge", &["排污许可"]),
    ("危险废物经营", "hazardous waste", &["危废"]),
    (
        "公众聚集场所投入使用营业前消防安全检查",
        "fire safety inspection",
        &["消防", "开业检查"],
    ),
    ("建设工程消防设计审查", "fire design review", &["消防设计"]),
    ("危险化学品经营", "hazardous chemicals", &["危化品"]),
    ("烟花爆竹经营", "fireworks retail", &["烟花爆竹"]),
    (
        "道路运输经营",
        "road transport",
        &["道路运输", "货运", "客运"],
    ),
    ("机动车维修经营", "vehicle repair", &["汽修", "修车"]),
    (
        "网络预约出租汽车经营",
        "ride-hailing",
        &["网约车", "出租车"],
    ),
    ("机动车驾驶证", "driving licence", &["驾照", "驾驶证"]),
    ("机动车", "motor vehicle", &["上牌", "车辆"]),
    ("居民身份证", "resident ID card", &["身份证"]),
    (
        "户口迁移",
        "household transfer",
        &["户口", "落户", "迁户口"],
    ),
    ("出入境证件", "exit-entry document", &["护照", "港澳通行证"]),
    ("婚姻", "marriage", &["结婚", "领证"]),
    ("收养", "adoption", &["收养"]),
    ("社会团体", "social organization", &["社团"]),
    ("民办非企业单位", "private non-enterprise unit", &["民非"]),
    ("养老机构", "elderly care institution", &["养老院", "养老"]),
    ("社会保险", "social insurance", &["社保"]),
    ("基本养老保险待遇", "pension benefits", &["养老金", "退休"]),
    ("失业保险金", "unemployment benefit", &["失业金", "失业"]),
    ("就业", "employment", &["就业", "招工"]),
    (
        "职业技能等级",
        "vocational skills",
        &["技能证书", "职业资格"],
    ),
    (
        "基本医疗保险参保",
        "medical insurance enrolment",
        &["医保", "参保"],
    ),
    (
        "医疗费用报销",
        "medical expense reimbursement",
        &["报销", "医保"],
    ),
    ("生育津贴", "maternity allowance", &["生育", "产假"]),
    (
        "住房公积金提取",
        "provident fund withdrawal",
        &["公积金", "提取公积金"],
    ),
    ("住房公积金贷款", "provident fund loan", &["公积金贷款"]),
    ("增值税纳税", "VAT", &["纳税", "报税"]),
    ("发票", "invoice", &["发票", "领发票"]),
    ("税务", "tax", &["税务登记"]),
    ("契税", "deed tax", &["契税", "过户"]),
    (
        "企业设立",
        "enterprise establishment",
        &["开公司", "营业执照", "注册公司"],
    ),
    ("企业注销", "enterprise deregistration", &["注销", "关公司"]),
    ("个体工商户", "individual business", &["个体户", "开店"]),
    ("农药经营", "pesticide trading", &["农药"]),
    ("农作物种子生产经营", "seed production", &["种子"]),
    ("林木采伐", "timber felling", &["采伐", "砍树"]),
    ("取水", "water abstraction", &["取水"]),
    ("河道管理范围内建设项目", "river works", &["河道"]),
    ("民办学校办学", "private school", &["办学", "培训机构"]),
    ("教师资格", "teacher qualification", &["教师资格证"]),
    ("律师执业", "lawyer practice", &["律师"]),
    ("公证", "notarization", &["公证"]),
    ("法律援助", "legal aid", &["法律援助"]),
    ("人防工程", "civil defence works", &["人防"]),
    ("雷电防护装置", "lightning protection", &["防雷"]),
    ("烟草专卖零售", "tobacco retail", &["烟草", "香烟"]),
    ("船舶", "ship", &["船舶"]),
    ("优抚对象", "entitled veterans", &["优抚", "退役军人"]),
    ("档案查阅", "archive access", &["档案", "查档"]),
    (
        "高危险性体育项目经营",
        "high-risk sports business",
        &["游泳池", "健身房"],
    ),
    ("特种设备使用", "special equipment use", &["电梯", "锅炉"]),
    ("计量器具", "measuring instruments", &["计量"]),
];

/// What is done with the object: Chinese, English, matter kind.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("许可", "licence", "licence"),
    ("审批", "approval", "licence"),
    ("核准", "authorization", "licence"),
    ("备案", "filing", "confirmation"),
    ("登记", "registration", "confirmation"),
    ("变更登记", "change registration", "confirmation"),
    ("注销", "cancellation", "other"),
    ("延续", "renewal", "licence"),
    ("证件补领", "reissue", "public_service"),
    ("资格确认", "eligibility confirmation", "confirmation"),
    ("证明开具", "certificate", "public_service"),
    ("年度报告", "annual report", "other"),
    ("申报", "declaration", "levy"),
    ("费用缴纳", "fee payment", "payment"),
];

/// Sub-matter suffixes (子项).
pub const SCOPES: &[(&str, &str)] = &[
    ("", ""),
    ("（新办）", " (new)"),
    ("（法人）", " (legal person)"),
    ("（个人）", " (individual)"),
    ("（县级权限）", " (county power)"),
    ("（跨区域）", " (cross-region)"),
    ("（简易程序）", " (simplified)"),
    ("（告知承诺制）", " (notification and commitment)"),
];

/// Laws a matter rests on: Chinese, English.
pub const LAWS: &[(&str, &str)] = &[
    (
        "《中华人民共和国行政许可法》",
        "Administrative Licensing Law",
    ),
    ("《中华人民共和国食品安全法》", "Food Safety Law"),
    ("《中华人民共和国消防法》", "Fire Protection Law"),
    (
        "《中华人民共和国环境影响评价法》",
        "Environmental Impact Assessment Law",
    ),
    (
        "《中华人民共和国城乡规划法》",
        "Urban and Rural Planning Law",
    ),
    ("《中华人民共和国建筑法》", "Construction Law"),
    (
        "《中华人民共和国道路交通安全法》",
        "Road Traffic Safety Law",
    ),
    ("《中华人民共和国社会保险法》", "Social Insurance Law"),
    ("《中华人民共和国税收征收管理法》", "Tax Collection Law"),
    ("《中华人民共和国民法典》", "Civil Code"),
    ("《中华人民共和国药品管理法》", "Drug Administration Law"),
    (
        "《中华人民共和国市场主体登记管理条例》",
        "Regulations on Market Entity Registration",
    ),
    (
        "《娱乐场所管理条例》",
        "Regulations on Entertainment Venues",
    ),
    (
        "《住房公积金管理条例》",
        "Regulations on Housing Provident Funds",
    ),
    (
        "《不动产登记暂行条例》",
        "Interim Regulations on Real Estate Registration",
    ),
    (
        "《浙江省保障“最多跑一次”改革规定》",
        "Zhejiang Provisions on the Run-at-most-once Reform",
    ),
];

/// Life and business events one-things answer: Chinese, English, keywords.
pub const EVENTS: &[Object] = &[
    ("开饭店", "Open a restaurant", &["饭店", "餐馆", "餐饮"]),
    ("开超市", "Open a supermarket", &["超市", "便利店"]),
    ("开药店", "Open a pharmacy", &["药店"]),
    (
        "开办歌舞娱乐场所",
        "Open a karaoke venue",
        &["KTV", "歌舞厅"],
    ),
    ("开民宿", "Open a homestay", &["民宿"]),
    ("开健身房", "Open a gym", &["健身房"]),
    ("开办培训机构", "Open a training school", &["培训", "办学"]),
    (
        "开办汽车维修店",
        "Open a car repair shop",
        &["汽修", "修车"],
    ),
    (
        "开办养老机构",
        "Open an elderly care home",
        &["养老", "养老院"],
    ),
    ("企业开办", "Start a company", &["开公司", "营业执照"]),
    ("企业注销", "Close a company", &["注销", "关公司"]),
    ("企业迁移", "Move a company", &["迁移"]),
    ("员工招聘", "Hire staff", &["招工", "招聘"]),
    ("新生儿出生", "A newborn", &["新生儿", "出生"]),
    ("二手房买卖", "Sell a second-hand home", &["二手房", "过户"]),
    ("新建商品房交付", "Receive a new home", &["新房", "交房"]),
    ("结婚", "Get married", &["结婚", "领证"]),
    ("职工退休", "Retire", &["退休", "养老金"]),
    ("身后事", "After a death", &["身后事"]),
    ("入学", "Start school", &["入学", "上学"]),
    ("退役军人安置", "Veteran resettlement", &["退役军人"]),
    (
        "建设项目开工",
        "Start a construction project",
        &["开工", "施工"],
    ),
    (
        "建设项目竣工验收",
        "Complete a construction project",
        &["竣工", "验收"],
    ),
    (
        "开办物流公司",
        "Open a logistics company",
        &["物流", "货运"],
    ),
    ("从事网约车经营", "Drive a ride-hailing car", &["网约车"]),
    ("开书店", "Open a bookshop", &["书店"]),
    ("开办幼儿园", "Open a kindergarten", &["幼儿园"]),
    ("开诊所", "Open a clinic", &["诊所"]),
    ("开加油站", "Open a petrol station", &["加油站"]),
    ("开办外贸企业", "Start exporting", &["出口", "外贸"]),
];

/// The districts and counties of Ningbo: GB/T 2260 code, Chinese, English.
pub const DISTRICTS: &[(&str, &str, &str)] = &[
    ("330203", "海曙区", "Haishu"),
    ("330205", "江北区", "Jiangbei"),
    ("330206", "北仑区", "Beilun"),
    ("330211", "镇海区", "Zhenhai"),
    ("330212", "鄞州区", "Yinzhou"),
    ("330213", "奉化区", "Fenghua"),
    ("330225", "象山县", "Xiangshan"),
    ("330226", "宁海县", "Ninghai"),
    ("330281", "余姚市", "Yuyao"),
    ("330282", "慈溪市", "Cixi"),
];

/// The comprehensive window areas: code, Chinese, English.
pub const WINDOWS: &[(&str, &str, &str)] = &[
    (
        "w-construction",
        "基本建设项目综合窗口",
        "Capital construction projects window",
    ),
    (
        "w-commerce",
        "商事登记综合窗口",
        "Business registration window",
    ),
    ("w-trade", "商贸服务综合窗口", "Trade services window"),
    (
        "w-real-estate",
        "不动产登记综合窗口",
        "Real estate registration window",
    ),
    ("w-police", "公安服务综合窗口", "Public security window"),
    ("w-transport", "交通运输综合窗口", "Transport window"),
    ("w-foreign", "涉外事务综合窗口", "Foreign affairs window"),
    (
        "w-livelihood",
        "社会民生事务综合窗口",
        "Social and livelihood affairs window",
    ),
];

/// Search synonym groups.
pub const SYNONYMS: &[&[&str]] = &[
    &["饭店", "餐馆", "餐饮", "餐厅", "饭馆", "小吃店", "开饭店"],
    &[
        "二手房",
        "存量房",
        "房屋买卖",
        "过户",
        "房产过户",
        "卖房",
        "买房",
    ],
    &[
        "开公司",
        "企业开办",
        "设立登记",
        "注册公司",
        "办执照",
        "营业执照",
    ],
    &["KTV", "歌舞厅", "卡拉OK", "娱乐场所", "歌厅", "练歌房"],
    &["新生儿", "出生", "宝宝", "婴儿", "生孩子"],
    &["汽修", "汽车维修", "机动车维修", "修车", "汽修店"],
    &["退休", "养老金", "退休金"],
    &["驾照", "驾驶证", "驾驶执照"],
    &["身份证", "居民身份证", "办身份证"],
    &["公积金", "住房公积金", "提取公积金"],
    &["社保", "社会保险", "五险"],
    &["网约车", "出租车", "打车"],
    &["药店", "药房", "零售药店"],
    &["民宿", "农家乐", "客栈"],
    &["健身房", "游泳池", "体育场馆"],
    &["培训机构", "培训", "办学"],
];
