//! Hand-computed bay KPIs (opening hours 08:30–18:00 = 34,200 s): occupancy
//! clipped to opening hours, an occupancy still open at closing, one spanning
//! midnight, out-of-service time, turns, dwell and an unmatched release.

use super::*;
use crate::events::{BayId, EventBody, RepairOrderId, Vin, WorkshopId};
use chrono::NaiveDate;

fn ev(id: &str, at: &str, body: EventBody) -> Event {
    wa_event(id, at, body)
}

fn bay(b: &str) -> BayId {
    BayId::new(b).expect("bay")
}

fn occupied(id: &str, at: &str, b: &str, ro: &str) -> Event {
    let (bay_id, ro_id) = (bay(b), RepairOrderId::new(ro).expect("ro"));
    ev(
        id,
        at,
        EventBody::BayOccupied {
            bay_id,
            ro_id,
            vin: Vin::new("LSVAU2180N2000001").expect("vin"),
        },
    )
}

fn released(id: &str, at: &str, b: &str, ro: &str) -> Event {
    ev(
        id,
        at,
        EventBody::BayReleased {
            bay_id: bay(b),
            ro_id: RepairOrderId::new(ro).expect("ro"),
        },
    )
}

fn t(hm: &str) -> String {
    format!("2026-11-23T{hm}:00+08:00")
}

fn day() -> Vec<Event> {
    vec![
        occupied("b1a", &t("09:00"), "B1", "RO1"),
        released("b1b", &t("11:00"), "B1", "RO1"),
        occupied("b1c", &t("13:00"), "B1", "RO2"), // still there at closing
        occupied("b2a", &t("08:00"), "B2", "RO3"), // before opening: clipped
        released("b2b", &t("09:30"), "B2", "RO3"),
        ev(
            "b2c",
            &t("12:00"),
            EventBody::BayOutOfService {
                bay_id: bay("B2"),
                reason: "lift".into(),
            },
        ),
        ev(
            "b2d",
            &t("14:00"),
            EventBody::BayBackInService { bay_id: bay("B2") },
        ),
        released("b3a", &t("10:00"), "B3", "RO9"), // nothing to release
        occupied("b4a", "2026-11-22T16:00:00+08:00", "B4", "RO4"), // overnight
        released("b4b", &t("10:00"), "B4", "RO4"),
    ]
}

fn engine(events: &[Event]) -> Engine {
    let mut e = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for ev in events {
        e.apply(ev);
    }
    e
}

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
}

#[test]
fn each_bay_within_opening_hours() {
    let e = engine(&day());
    let rows = e.bay_rows(&WorkshopId::new("WA").expect("ws"), date(23));
    let get = |b: &str| {
        rows.iter()
            .find(|r| r.bay_id.as_str() == b)
            .unwrap_or_else(|| panic!("{b}"))
    };
    let b1 = get("B1");
    assert_eq!(
        (b1.occupied_s, b1.turns, b1.dwell_s),
        (2 * 3600 + 5 * 3600, 1, 2 * 3600)
    );
    let b2 = get("B2");
    assert_eq!(
        (b2.occupied_s, b2.turns, b2.dwell_s),
        (3600, 1, 5400),
        "clipped at 08:30; dwell unclipped"
    );
    assert_eq!((b2.out_of_service_s, b2.available_s), (7200, 34_200 - 7200));
    let b3 = get("B3");
    assert_eq!((b3.occupied_s, b3.unmatched_releases), (0, 1));
    let b4 = get("B4");
    assert_eq!(
        (b4.occupied_s, b4.turns, b4.dwell_s),
        (5400, 1, 18 * 3600),
        "from 16:00 the day before"
    );

    let before = e.bay_rows(&WorkshopId::new("WA").expect("ws"), date(22));
    assert_eq!(before.len(), 1, "only B4 existed on the 22nd");
    assert_eq!((before[0].occupied_s, before[0].turns), (7200, 0));
}

#[test]
fn workshop_totals_and_any_order() {
    let events = day();
    let row = |e: &Engine| {
        e.row(&WorkshopId::new("WA").expect("ws"), date(23))
            .expect("row")
    };
    let r = row(&engine(&events));
    assert_eq!((r.bays_known, r.bay_turns), (4, 3));
    assert_eq!(r.bay_occupied_s, 25_200 + 3600 + 5400);
    assert_eq!(r.bay_available_s, 3 * 34_200 + 27_000);
    assert_eq!(r.bay_dwell_s, 7200 + 5400 + 64_800);
    let mut reversed = events.clone();
    reversed.reverse();
    assert_eq!(row(&engine(&reversed)), r);
}

#[test]
fn a_release_naming_another_order_does_not_end_the_occupancy() {
    // B5: RO1 on it at 09:00; a release of RO7 at 10:00 (a terminal's
    // mistake) is unmatched; RO1's own release at 11:00 ends the spell.
    let events = [
        occupied("b5a", &t("09:00"), "B5", "RO1"),
        released("b5b", &t("10:00"), "B5", "RO7"),
        released("b5c", &t("11:00"), "B5", "RO1"),
    ];
    let e = engine(&events);
    let rows = e.bay_rows(&WorkshopId::new("WA").expect("ws"), date(23));
    let b5 = &rows[0];
    assert_eq!(
        (b5.occupied_s, b5.turns, b5.dwell_s, b5.unmatched_releases),
        (2 * 3600, 1, 2 * 3600, 1)
    );
}

#[test]
fn a_car_on_a_bay_out_of_service_is_not_occupancy() {
    let events = vec![
        ev(
            "o1",
            &t("12:00"),
            EventBody::BayOutOfService {
                bay_id: bay("B5"),
                reason: "lift".into(),
            },
        ),
        occupied("o2", &t("12:30"), "B5", "RO5"),
        released("o3", &t("13:30"), "B5", "RO5"),
        ev(
            "o4",
            &t("14:00"),
            EventBody::BayBackInService { bay_id: bay("B5") },
        ),
        occupied("o5", &t("15:00"), "B5", "RO6"),
        released("o6", &t("16:00"), "B5", "RO6"),
    ];
    let e = engine(&events);
    let rows = e.bay_rows(&WorkshopId::new("WA").expect("ws"), date(23));
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].occupied_s, rows[0].available_s, rows[0].turns),
        (3600, 34_200 - 7200, 2)
    );
}

#[test]
fn a_long_history_and_a_spell_over_several_days() {
    let at = |d: u32, hm: &str| format!("2026-11-{d:02}T{hm}:00+08:00");
    let mut events = Vec::new();
    for d in 1..=19 {
        let ro = format!("RO-H{d}");
        events.push(occupied(&format!("h{d}a"), &at(d, "09:00"), "B7", &ro));
        events.push(released(&format!("h{d}b"), &at(d, "10:00"), "B7", &ro));
    }
    events.extend([
        occupied("l1", &at(20, "17:00"), "B7", "RO-L"),
        ev(
            "x1",
            &at(21, "12:00"),
            EventBody::BayOutOfService {
                bay_id: bay("B7"),
                reason: "lift".into(),
            },
        ),
        ev(
            "x2",
            &at(22, "12:00"),
            EventBody::BayBackInService { bay_id: bay("B7") },
        ),
        released("l2", &at(23, "10:00"), "B7", "RO-L"),
        released("u1", &at(23, "11:00"), "B7", "RO-X"), // releases nothing
        occupied("m1", &at(23, "13:00"), "B7", "RO-M"),
        released("m2", &at(24, "09:00"), "B7", "RO-M"),
    ]);
    let e = engine(&events);
    assert_late_release_restates_from_its_own_day(&events);
    let row = |d: u32| {
        let rows = e.bay_rows(&WorkshopId::new("WA").expect("ws"), date(d));
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        (
            r.occupied_s,
            r.out_of_service_s,
            r.available_s,
            r.turns,
            r.dwell_s,
            r.unmatched_releases,
        )
    };
    assert_eq!(row(10), (3600, 0, 34_200, 1, 3600, 0));
    // Occupied all day; out of service from 12:00 (that time is neither).
    assert_eq!(row(21), (12_600, 21_600, 12_600, 0, 0, 0));
    // Back in service at 12:00: out 08:30–12:00.
    assert_eq!(row(22), (21_600, 12_600, 21_600, 0, 0, 0));
    // Released at 10:00 after 65 h; another car 13:00 to closing.
    assert_eq!(row(23), (5400 + 18_000, 0, 34_200, 1, 65 * 3600, 1));
    assert_eq!(row(24), (1800, 0, 34_200, 1, 20 * 3600, 0));
}

/// The release on the 23rd of the car that came on the 20th, arriving last:
/// it restates the 23rd and the 24th, not the 20th–22nd (their time is
/// clipped to their own opening hours, which it cannot change), and the rows
/// are those of the events in order.
fn assert_late_release_restates_from_its_own_day(events: &[Event]) {
    use chrono::Datelike;
    let late = events.iter().position(|e| e.event_id.as_str() == "l2");
    let late = late.expect("the release");
    let mut streamed = engine(&[&events[..late], &events[late + 1..]].concat());
    let Applied::Changed(days) = streamed.apply(&events[late]) else {
        panic!("absorbed")
    };
    assert_eq!(days.iter().map(|d| d.day()).collect::<Vec<_>>(), [23, 24]);
    assert_eq!(streamed.all_bay_rows(), engine(events).all_bay_rows());
}
