//! The applicant's address book (地址簿) and the address a case's result
//! is to be sent to.

use uuid::Uuid;
use yici_core::case::{CaseId, Target};
use yici_core::catalog::DeliveryMode;
use yici_hall::{Address, AddressError};
use yici_store::StoredCase;
use yici_store::parcels::{DeliveryChoice, StoredAddress};

use crate::context::Service;
use crate::error::{FieldProblem, Result, ServiceError};
use crate::gate::ApplicantDesk;

/// How many addresses a book holds.
pub const MAX_ADDRESSES: u32 = 20;

fn problems(errors: Vec<AddressError>) -> ServiceError {
    ServiceError::Invalid(
        errors
            .into_iter()
            .map(|e| FieldProblem::new(e.field, e.rule, e.message))
            .collect(),
    )
}

fn not_found(what: &'static str, id: &str) -> ServiceError {
    ServiceError::NotFound {
        what,
        id: id.to_owned(),
    }
}

/// The fields of a stored address.
pub(crate) fn fields(a: &StoredAddress) -> Address {
    Address {
        recipient: a.recipient.clone(),
        phone: a.phone.clone(),
        region: a.region.clone(),
        line: a.line.clone(),
        postcode: a.postcode.clone(),
    }
}

/// An address kept on a parcel or a choice, as JSON.
pub(crate) fn read_address(json: &str) -> Result<Address> {
    serde_json::from_str(json)
        .map_err(|e| ServiceError::Internal(format!("a stored address does not read: {e}")))
}

impl Service {
    /// Whether a case's matters offer their result by express.
    pub fn express_offered(&self, target: &Target) -> bool {
        let catalog = self.catalog();
        let offers = |code: &yici_core::catalog::MatterCode| {
            catalog
                .matters
                .get(code)
                .is_some_and(|m| m.delivery.contains(&DeliveryMode::Express))
        };
        match target {
            Target::Matter(code) => offers(code),
            Target::OneThing(code) => catalog
                .one_things
                .get(code)
                .is_some_and(|o| o.matters.iter().any(offers)),
        }
    }
}

impl ApplicantDesk<'_> {
    /// The applicant's address book, oldest first.
    pub async fn addresses(&self) -> Result<Vec<StoredAddress>> {
        let owner = &self.caller().user().id;
        Ok(self.service().store().addresses_of(owner).await?)
    }

    /// Adds an address; every wrong field is named.
    pub async fn add_address(&self, a: Address) -> Result<StoredAddress> {
        let a = a.checked().map_err(problems)?;
        let stored = StoredAddress {
            id: Uuid::now_v7().to_string(),
            owner: self.caller().user().id.clone(),
            recipient: a.recipient,
            phone: a.phone,
            region: a.region,
            line: a.line,
            postcode: a.postcode,
            created_ms: self.service().clock().now_ms(),
        };
        if !self
            .service()
            .store()
            .add_address(&stored, MAX_ADDRESSES)
            .await?
        {
            return Err(ServiceError::invalid(
                "address",
                "address_book_full",
                format!(
                    "an address book holds at most {MAX_ADDRESSES} addresses; remove one first"
                ),
            ));
        }
        Ok(stored)
    }

    /// Corrects an address of the book (parcels already sent keep theirs).
    pub async fn update_address(&self, id: &str, a: Address) -> Result<StoredAddress> {
        let a = a.checked().map_err(problems)?;
        let owner = self.caller().user().id.clone();
        let old = self
            .service()
            .store()
            .address(&owner, id)
            .await?
            .ok_or_else(|| not_found("address", id))?;
        let new = StoredAddress {
            recipient: a.recipient,
            phone: a.phone,
            region: a.region,
            line: a.line,
            postcode: a.postcode,
            ..old
        };
        if !self.service().store().update_address(&new).await? {
            return Err(not_found("address", id));
        }
        Ok(new)
    }

    /// Removes an address from the book.
    pub async fn remove_address(&self, id: &str) -> Result<()> {
        let owner = &self.caller().user().id;
        let now = self.service().clock().now_ms();
        if !self
            .service()
            .store()
            .remove_address(owner, id, now)
            .await?
        {
            return Err(not_found("address", id));
        }
        Ok(())
    }

    /// One of the applicant's cases, by the id as given.
    pub(crate) async fn own_case_by(&self, case_id: &str) -> Result<StoredCase> {
        let parsed: CaseId = case_id.parse().map_err(|_| not_found("case", case_id))?;
        self.own_case(&parsed).await
    }

    /// One address of the book, for a parcel or a choice.
    pub(crate) async fn book_address(&self, id: &str) -> Result<Address> {
        let owner = &self.caller().user().id;
        let a = self.service().store().address(owner, id).await?;
        a.map(|a| fields(&a)).ok_or_else(|| {
            ServiceError::invalid(
                "address",
                "unknown_address",
                format!("address {id} is not in your address book"),
            )
        })
    }

    /// Sends a case's result to an address of the book (`Some`), or has
    /// it fetched at the window after all (`None`). Until it is sent.
    pub async fn choose_delivery(
        &self,
        case_id: &str,
        address: Option<&str>,
    ) -> Result<Option<Address>> {
        let service = self.service();
        let stored = self.own_case_by(case_id).await?;
        let state = stored.case.state;
        if state.is_closed() {
            return Err(ServiceError::invalid(
                "case",
                "case_closed",
                format!("this case is {state:?}: its result is no longer on its way"),
            ));
        }
        if !service.express_offered(&stored.case.target) {
            return Err(ServiceError::invalid(
                "address",
                "express_not_offered",
                "the result of this matter is not sent by express",
            ));
        }
        let Some(id) = address else {
            service.store().drop_delivery_choice(case_id).await?;
            return Ok(None);
        };
        let a = self.book_address(id).await?;
        service
            .store()
            .choose_delivery(&DeliveryChoice {
                case_id: case_id.to_owned(),
                address: serde_json::to_string(&a)
                    .map_err(|e| ServiceError::Internal(e.to_string()))?,
                chosen_by: self.caller().user().id.clone(),
                chosen_ms: service.clock().now_ms(),
            })
            .await?;
        Ok(Some(a))
    }
}
