//! Synthetic records of the demo's shared data sets, for the demo persons
//! and enterprise, so that the exchange has something to fetch. Loaded by
//! `serve --demo` only.

use serde_json::{Value, json};

use super::users::{resident_id, uscc};
use crate::context::Service;
use crate::error::Result;

/// (data set, subject, fields) of every demo record.
pub fn records() -> Vec<(&'static str, String, Value)> {
    let zhang = resident_id("33021219900307001");
    let li = resident_id("33020319881115002");
    let company = uscc("330212", "MA2H7K3L");
    vec![
        (
            "household",
            zhang.clone(),
            json!({
            "name": "张三", "resident_id": zhang, "gender": "男", "birth_date": "1990-03-07",
            "ethnicity": "汉族", "address": "浙江省宁波市鄞州区宁穿路1号", "household_no": "330212000123",
            "household_head": "张三", "relation_to_head": "户主"}),
        ),
        (
            "household",
            li.clone(),
            json!({
            "name": "李梅", "resident_id": li, "gender": "女", "birth_date": "1988-11-15",
            "ethnicity": "汉族", "address": "浙江省宁波市海曙区中山西路8号", "household_no": "330203000456",
            "household_head": "李梅", "relation_to_head": "户主"}),
        ),
        (
            "marriage",
            zhang.clone(),
            json!({
            "status": "已婚", "certificate_no": "J330212-2019-001234", "spouse_name": "李梅",
            "spouse_resident_id": li, "registration_date": "2019-05-20", "registry": "鄞州区民政局婚姻登记处"}),
        ),
        (
            "social_insurance",
            zhang.clone(),
            json!({
            "social_security_no": zhang, "insured_status": "正常参保", "contribution_months": 96,
            "employer_uscc": company, "card_no": "A33021200123", "retirement_date": "2050-03-07"}),
        ),
        (
            "medical_insurance",
            zhang.clone(),
            json!({
            "insured_status": "正常参保", "insurance_type": "职工基本医疗保险", "enrolled_on": "2018-03-01",
            "contribution_months": 96, "insured_region": "330212"}),
        ),
        (
            "tax",
            zhang.clone(),
            json!({
            "taxpayer_id": zhang, "deed_tax_receipt_no": null, "clearance_status": "无欠税",
            "credit_rating": "A", "arrears": 0}),
        ),
        (
            "real_estate",
            zhang.clone(),
            json!({
            "certificate_no": "浙(2020)宁波市鄞州不动产权第0123456号", "unit_no": "330212001001GB00001F00010001",
            "owner_name": "张三", "owner_resident_id": zhang, "address": "宁波市鄞州区宁穿路1号1幢101室",
            "building_area": 89.5, "use": "住宅", "registration_date": "2020-06-18",
            "mortgage_status": "无抵押", "seizure_status": "无查封", "family_house_count": 1}),
        ),
        (
            "enterprise",
            company.clone(),
            json!({
            "uscc": company, "name": "宁波三味餐饮有限公司", "licence_number": null, "type": "有限责任公司",
            "legal_rep_name": "张三", "registered_capital": 50, "address": "宁波市鄞州区天童南路588号",
            "business_scope": "餐饮服务；食品销售", "established_on": "2023-04-12", "status": "存续"}),
        ),
    ]
}

/// Loads the demo records whose data sets the catalog has.
pub(super) async fn seed(service: &Service) -> Result<usize> {
    let now = service.clock().now_ms();
    let mut n = 0;
    for (dataset, subject, fields) in records() {
        if !service
            .catalog()
            .datasets
            .keys()
            .any(|d| d.as_str() == dataset)
        {
            continue;
        }
        service
            .store()
            .put_record(dataset, &subject, &fields, "demo", now)
            .await?;
        n += 1;
    }
    Ok(n)
}
