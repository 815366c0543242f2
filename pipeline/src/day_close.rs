//! The day-close scheduler. Time in the engine moves only with events, so a
//! quiet workshop never "reaches" midnight; closing a business day is therefore
//! an event too (design.md §2). Inside `run`, this task publishes
//! `day_closed {business_date}` for every workshop once its closing time plus a
//! grace period has passed; the engine then ends forgotten clock-ons at the
//! closing time. `recompute` reads the same events, so both paths agree.
//!
//! The events are deterministic — id `day-closed-<workshop>-<yyyymmdd>`,
//! occurring at the workshop's closing time — so two instances (or a restart)
//! publishing the same close produce exact duplicates, which the engine ignores.
//!
//! Yesterday and today are closed whether or not they had events. Older days
//! are closed too, up to `[day_close] catch_up_days` back, if they had events:
//! a process that was down over a closing time still ends that day's forgotten
//! clock-ons once it is back.

use crate::clock::SharedClock;
use crate::config::Config;
use crate::engine::WorkshopSettings;
use crate::events::{Event, EventBody, EventId, SCHEMA_VERSION, Topic, TopicNames, WorkshopId};
use crate::kafka::{self, KafkaError};
use crate::live::Live;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rdkafka::producer::{FutureProducer, FutureRecord};
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// A workshop as the scheduler sees it: its settings and the business days
/// that had events.
pub type Watched = (WorkshopId, WorkshopSettings, BTreeSet<NaiveDate>);

/// The `day_closed` events due at `now`, where the closing time plus `grace`
/// has passed: each workshop's today and yesterday, and its days with events
/// up to `catch_up_days` back.
pub fn due(
    now: DateTime<Utc>,
    workshops: &[Watched],
    grace: Duration,
    catch_up_days: u32,
) -> Vec<Event> {
    let mut out = Vec::new();
    for (workshop, settings, active) in workshops {
        let today = settings.business_date(now.fixed_offset());
        let first = today - Duration::days(i64::from(catch_up_days));
        let yesterday = today.pred_opt().unwrap_or(today);
        let dates = first
            .iter_days()
            .take_while(|d| *d <= today)
            .filter(|d| *d >= yesterday || active.contains(d));
        for date in dates {
            let Some(closing) = settings.local_instant(date, settings.closing_time) else {
                continue;
            };
            if now < closing.with_timezone(&Utc) + grace {
                continue;
            }
            let Ok(event_id) =
                EventId::new(format!("day-closed-{workshop}-{}", date.format("%Y%m%d")))
            else {
                continue;
            };
            out.push(Event {
                schema: SCHEMA_VERSION,
                event_id,
                workshop_id: workshop.clone(),
                occurred_at: closing,
                body: EventBody::DayClosed {
                    business_date: date,
                },
            });
        }
    }
    out
}

/// Publishes due day closes until `shutdown`. Workshops are the configured
/// ones plus every workshop the engine has seen.
pub async fn run(
    config: Config,
    live: Arc<Live>,
    clock: SharedClock,
    shutdown: CancellationToken,
) -> Result<(), KafkaError> {
    let producer: FutureProducer = kafka::producer_config(&config.kafka)
        .create()
        .map_err(|e| KafkaError::client(&config.kafka, e))?;
    let topic = TopicNames::new(&config.kafka.topic_prefix).source(Topic::RepairOrders);
    let directory = config
        .workshop_directory()
        .map_err(|e| KafkaError::NotReady {
            brokers: config.kafka.brokers.clone(),
            reason: e.to_string(),
        })?;
    let grace = Duration::minutes(config.day_close.grace_minutes);
    let catch_up_days = config.day_close.catch_up_days;
    let tick = std::time::Duration::from_secs(config.day_close.check_every_secs);
    let mut published: BTreeSet<EventId> = BTreeSet::new();
    loop {
        let mut ids: BTreeSet<WorkshopId> = directory.workshops.keys().cloned().collect();
        ids.extend(live.workshops());
        let workshops: Vec<Watched> = ids
            .into_iter()
            .filter_map(|w| {
                let settings = directory.get(&w).cloned()?;
                let days = live.days(&w);
                Some((w, settings, days))
            })
            .collect();
        for event in due(clock.now(), &workshops, grace, catch_up_days) {
            if published.contains(&event.event_id) {
                continue;
            }
            let payload = event.to_json();
            let key = event.workshop_id.to_string();
            match producer
                .send(
                    FutureRecord::to(&topic).key(&key).payload(&payload),
                    std::time::Duration::from_secs(10),
                )
                .await
            {
                Ok(_) => {
                    tracing::info!(event_id = %event.event_id, "day closed");
                    published.insert(event.event_id);
                }
                Err((e, _)) => tracing::warn!(error = %e, "publishing day_closed failed; retrying"),
            }
        }
        tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            () = tokio::time::sleep(tick) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workshops() -> Vec<Watched> {
        vec![(
            WorkshopId::new("W1").expect("id"),
            WorkshopSettings::default(),
            BTreeSet::new(),
        )]
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_day_closes_after_closing_time_plus_grace() {
        let grace = Duration::minutes(60);
        // 18:59 in Shanghai: yesterday is due, today not yet.
        let early = due(at("2026-11-23T18:59:00+08:00"), &workshops(), grace, 7);
        assert_eq!(early.len(), 1);
        assert_eq!(early[0].event_id.as_str(), "day-closed-W1-20261122");
        assert_eq!(
            early[0].occurred_at.to_rfc3339(),
            "2026-11-22T18:00:00+08:00"
        );
        // 19:00: today too, occurring at today's closing time.
        let late = due(at("2026-11-23T19:00:00+08:00"), &workshops(), grace, 7);
        let ids: Vec<&str> = late.iter().map(|e| e.event_id.as_str()).collect();
        assert_eq!(ids, ["day-closed-W1-20261122", "day-closed-W1-20261123"]);
        assert_eq!(
            late[1].body,
            EventBody::DayClosed {
                business_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("d")
            }
        );
    }

    #[test]
    fn days_with_events_missed_during_an_outage_are_closed_on_return() {
        let d = |day| chrono::NaiveDate::from_ymd_opt(2026, 11, day).expect("d");
        // Events on the 14th, 18th and 20th; back on the 23rd after 19:00.
        let mut watched = workshops();
        watched[0].2 = [d(14), d(18), d(20)].into_iter().collect();
        let ids: Vec<String> = due(
            at("2026-11-23T19:30:00+08:00"),
            &watched,
            Duration::minutes(60),
            7,
        )
        .iter()
        .map(|e| e.event_id.to_string())
        .collect();
        // The 14th is more than 7 days back; the 19th and 21st had no events.
        assert_eq!(
            ids,
            [
                "day-closed-W1-20261118",
                "day-closed-W1-20261120",
                "day-closed-W1-20261122",
                "day-closed-W1-20261123"
            ]
        );
    }

    #[test]
    fn the_events_decode_like_any_other() {
        for e in due(
            at("2026-11-23T23:00:00+08:00"),
            &workshops(),
            Duration::zero(),
            7,
        ) {
            let decoded =
                crate::events::decode(Topic::RepairOrders, e.to_json().as_bytes()).expect("valid");
            assert_eq!(decoded, e);
        }
    }
}
