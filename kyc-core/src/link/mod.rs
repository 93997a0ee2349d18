//! One-time links: a batch of 1 to 1000 links for a scenario, each with a lifetime. A token carries
//! 128 random bits and an HMAC, so its scenario and expiry verify without a lookup; the host's
//! [`LinkStore`] makes it single-use through compare-and-set and tracks its status (created, opened,
//! in progress, success, failure, expired).

mod error;
mod store;
mod token;

use jiff::{SignedDuration, Timestamp};

pub use error::LinkError;
pub use store::{InMemoryLinkStore, LinkRecord, LinkStatus, LinkStore};
pub use token::{
    LinkClaims, LinkToken, MAX_TOKEN_LEN, RANDOM_BYTES, TOKEN_PREFIX, peek_scenario_id,
};

use crate::entropy::Entropy;
use crate::scenario::Scenario;
use crate::session::SessionStatus;

/// Most links per batch.
pub const MAX_LINKS: u32 = 1000;
/// Shortest lifetime.
pub const MIN_LIFETIME: SignedDuration = SignedDuration::from_secs(60);
/// Longest lifetime: 30 days.
pub const MAX_LIFETIME: SignedDuration = SignedDuration::from_hours(30 * 24);

/// A link just issued: the token goes to the person, once; the store keeps only the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedLink {
    /// The link's id (hex of the token's random bits), also the session origin's `link_id`.
    pub link_id: String,
    /// The bearer token.
    pub token: LinkToken,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// Issues `count` links for `scenario` valid for `lifetime` from `now`, and records each in `store`
/// as created.
pub fn issue(
    store: &dyn LinkStore,
    scenario: &Scenario,
    count: u32,
    lifetime: SignedDuration,
    now: Timestamp,
    entropy: &dyn Entropy,
) -> Result<Vec<IssuedLink>, LinkError> {
    if !(1..=MAX_LINKS).contains(&count) {
        return Err(LinkError::CountOutOfRange(count));
    }
    if lifetime < MIN_LIFETIME || lifetime > MAX_LIFETIME {
        return Err(LinkError::LifetimeOutOfRange {
            seconds: lifetime.as_secs(),
        });
    }
    let expires_at = now
        .checked_add(lifetime)
        .map_err(|_| LinkError::LifetimeOutOfRange {
            seconds: lifetime.as_secs(),
        })?;
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    for _ in 0..count {
        let mut random = [0u8; RANDOM_BYTES];
        entropy.fill(&mut random);
        let token = token::encode(&scenario.secret_key, &random, &scenario.id, expires_at)?;
        let link_id = token::hex(&random);
        store.insert(LinkRecord {
            link_id: link_id.clone(),
            scenario_id: scenario.id.clone(),
            created_at: now,
            expires_at,
            status: LinkStatus::Created,
            session_id: None,
        })?;
        out.push(IssuedLink {
            link_id,
            token,
            expires_at,
        });
    }
    Ok(out)
}

/// Verifies a token without touching the store (scenario, HMAC, expiry).
pub fn verify(scenario: &Scenario, token: &str, now: Timestamp) -> Result<LinkClaims, LinkError> {
    token::verify(&scenario.id, &scenario.secret_key, token, now)
}

/// Opens a link: verifies the token and spends it (created → opened). A second open, however close
/// in time, gets [`LinkError::AlreadyUsed`]; an expired link is marked expired and refused.
pub fn open(
    store: &dyn LinkStore,
    scenario: &Scenario,
    token: &str,
    now: Timestamp,
) -> Result<LinkRecord, LinkError> {
    let claims = match verify(scenario, token, now) {
        Err(LinkError::Expired) => {
            // Record the expiry; the token verified apart from its age.
            if let Ok(claims) =
                token::verify(&scenario.id, &scenario.secret_key, token, Timestamp::MIN)
            {
                let _ = set_status(store, &claims.link_id, LinkStatus::Expired, None);
            }
            return Err(LinkError::Expired);
        }
        other => other?,
    };
    let record = store.get(&claims.link_id)?.ok_or(LinkError::Unknown)?;
    if record.scenario_id != scenario.id {
        return Err(LinkError::ScenarioMismatch);
    }
    if record.status != LinkStatus::Created {
        return Err(match record.status {
            LinkStatus::Expired => LinkError::Expired,
            _ => LinkError::AlreadyUsed,
        });
    }
    let opened = LinkRecord {
        status: LinkStatus::Opened,
        ..record
    };
    if store.compare_and_set(&claims.link_id, LinkStatus::Created, opened.clone())? {
        Ok(opened)
    } else {
        Err(LinkError::AlreadyUsed)
    }
}

/// Opened → in progress, recording the session started from the link.
pub fn start(
    store: &dyn LinkStore,
    link_id: &str,
    session_id: &str,
) -> Result<LinkRecord, LinkError> {
    set_status(store, link_id, LinkStatus::InProgress, Some(session_id))
}

/// In progress → success (approved) or failure (declined, blocked). Other statuses leave the link
/// in progress and return it unchanged.
pub fn finish(
    store: &dyn LinkStore,
    link_id: &str,
    session_status: SessionStatus,
) -> Result<LinkRecord, LinkError> {
    let to = match session_status {
        SessionStatus::Approved => LinkStatus::Success,
        SessionStatus::Declined | SessionStatus::Blocked => LinkStatus::Failure,
        _ => return store.get(link_id)?.ok_or(LinkError::Unknown),
    };
    set_status(store, link_id, to, None)
}

fn set_status(
    store: &dyn LinkStore,
    link_id: &str,
    to: LinkStatus,
    session_id: Option<&str>,
) -> Result<LinkRecord, LinkError> {
    let record = store.get(link_id)?.ok_or(LinkError::Unknown)?;
    let from = record.status;
    if !from.can_move_to(to) {
        return Err(LinkError::IllegalTransition { from, to });
    }
    let new = LinkRecord {
        status: to,
        session_id: session_id.map(str::to_owned).or(record.session_id.clone()),
        ..record
    };
    if store.compare_and_set(link_id, from, new.clone())? {
        Ok(new)
    } else {
        Err(LinkError::IllegalTransition { from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        use LinkStatus::*;
        assert!(Created.can_move_to(Opened));
        assert!(!Created.can_move_to(InProgress));
        assert!(!Opened.can_move_to(Created));
        assert!(!InProgress.can_move_to(Expired));
        for s in [Success, Failure, Expired] {
            assert!(s.is_final());
            for t in [Created, Opened, InProgress, Success, Failure, Expired] {
                assert!(!s.can_move_to(t));
            }
        }
    }
}
