//! Hand-computed technician time: attended, worked and sold seconds, a forgotten
//! clock-off closed by the day close, a clock-on that closes the previous job, an
//! unmatched clock-off, a corrected shift, and sold time split by worked time.

use super::*;
use crate::events::{ClockKind, EventBody, JobId, RepairOrderId, TechnicianId, WorkshopId};
use chrono::{DateTime, NaiveDate};

fn t(id: &str) -> TechnicianId {
    TechnicianId::new(id).expect("tech")
}

fn at(hm: &str) -> String {
    format!("2026-11-23T{hm}:00+08:00")
}

fn ev(id: &str, hm: &str, body: EventBody) -> Event {
    wa_event(id, &at(hm), body)
}

fn job_clock(id: &str, hm: &str, tech: &str, job: &str, on: bool) -> Event {
    ev(id, hm, job_clocking(tech, "X", job, on))
}

/// Job `job` of repair order X, with its standard time.
fn job_added_body(job: &str, minutes: u32) -> EventBody {
    EventBody::JobAdded {
        ro_id: RepairOrderId::new("X").expect("ro"),
        job_id: JobId::new(job).expect("job"),
        labour_operation: "OP".into(),
        standard_minutes: minutes,
    }
}

fn added(id: &str, job: &str, minutes: u32) -> Event {
    ev(id, "08:50", job_added_body(job, minutes))
}

/// A `clock_adjusted` of `tech`, made at `made` on the 23rd, setting
/// `on`–`off` that day: of the job `job` of X, or of the shift if `None`.
fn correction(id: &str, made: &str, tech: &str, job: Option<&str>, on: &str, off: &str) -> Event {
    ev(
        id,
        made,
        EventBody::ClockAdjusted {
            technician_id: t(tech),
            adjusted_by: "foreman".into(),
            reason: "fix".into(),
            kind: if job.is_some() {
                ClockKind::Job
            } else {
                ClockKind::Shift
            },
            ro_id: job.map(|_| RepairOrderId::new("X").expect("ro")),
            job_id: job.map(|j| JobId::new(j).expect("job")),
            on_at: DateTime::parse_from_rfc3339(&at(on)).expect("t"),
            off_at: DateTime::parse_from_rfc3339(&at(off)).expect("t"),
        },
    )
}

fn day() -> Vec<Event> {
    vec![
        ev(
            "t1-on",
            "08:00",
            EventBody::ShiftOn {
                technician_id: t("T1"),
            },
        ),
        ev(
            "t1-off",
            "17:00",
            EventBody::ShiftOff {
                technician_id: t("T1"),
            },
        ),
        ev(
            "t2-on",
            "08:30",
            EventBody::ShiftOn {
                technician_id: t("T2"),
            },
        ),
        added("j1", "J1", 120),
        added("j2", "J2", 60),
        job_clock("c1", "09:00", "T1", "J1", true),
        job_clock("c2", "10:00", "T1", "J2", true), // closes T1's J1 at 10:00
        job_clock("c3", "11:00", "T1", "J2", false),
        job_clock("c4", "09:00", "T2", "J1", true),
        job_clock("c5", "12:00", "T2", "J1", false),
        job_clock("c6", "12:30", "T1", "J1", false), // nothing open: unmatched
        ev(
            "qc",
            "13:00",
            EventBody::QcPassed {
                ro_id: RepairOrderId::new("X").expect("ro"),
            },
        ),
        ev(
            "t3-on",
            "08:15",
            EventBody::ShiftOn {
                technician_id: t("T3"),
            },
        ),
        ev(
            "t3-off",
            "11:00",
            EventBody::ShiftOff {
                technician_id: t("T3"),
            },
        ),
        ev(
            "t3-fix",
            "12:00",
            EventBody::ClockAdjusted {
                technician_id: t("T3"),
                adjusted_by: "foreman".into(),
                reason: "clocked in late at the terminal".into(),
                kind: ClockKind::Shift,
                ro_id: None,
                job_id: None,
                on_at: DateTime::parse_from_rfc3339(&at("08:00")).expect("t"),
                off_at: DateTime::parse_from_rfc3339(&at("12:00")).expect("t"),
            },
        ),
        ev(
            "close",
            "23:00",
            EventBody::DayClosed {
                business_date: NaiveDate::from_ymd_opt(2026, 11, 23).expect("d"),
            },
        ),
    ]
}

fn rows(events: &[Event]) -> Vec<TechnicianDay> {
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in events {
        engine.apply(e);
    }
    engine.technician_rows(
        &WorkshopId::new("WA").expect("ws"),
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("d"),
    )
}

fn row<'a>(rows: &'a [TechnicianDay], id: &str) -> &'a TechnicianDay {
    rows.iter()
        .find(|r| r.technician_id.as_str() == id)
        .unwrap_or_else(|| panic!("no row for {id}"))
}

#[test]
fn attended_worked_and_sold_seconds() {
    let rows = rows(&day());
    let t1 = row(&rows, "T1");
    assert_eq!(t1.attended_s, 9 * 3600);
    assert_eq!(
        t1.worked_s,
        2 * 3600,
        "1 h on J1 (closed by the J2 clock-on), 1 h on J2"
    );
    assert_eq!(t1.jobs_clocked, 2);
    assert_eq!(t1.unmatched_offs, 1);
    // J1 (120 min) split by worked time 1 h : 3 h → 30 min to T1; J2 (60 min) all T1.
    assert_eq!(t1.sold_s, 30 * 60 + 60 * 60);

    let t2 = row(&rows, "T2");
    assert_eq!(
        t2.attended_s,
        9 * 3600 + 1800,
        "forgotten shift-off closed at 18:00 by the day close"
    );
    assert_eq!(t2.auto_closed, 1);
    assert_eq!(t2.worked_s, 3 * 3600);
    assert_eq!(t2.sold_s, 90 * 60);

    let t3 = row(&rows, "T3");
    assert_eq!(
        t3.attended_s,
        4 * 3600,
        "the corrected 08:00–12:00 replaces the raw 08:15–11:00"
    );
    assert_eq!(t3.adjustments, 1);
}

#[test]
fn without_the_day_close_the_open_shift_is_not_counted_yet() {
    let events: Vec<Event> = day()
        .into_iter()
        .filter(|e| e.event_id.as_str() != "close")
        .collect();
    let rows = rows(&events);
    assert_eq!(
        (row(&rows, "T2").attended_s, row(&rows, "T2").auto_closed),
        (0, 0)
    );
}

#[test]
fn any_order_gives_the_same_technician_rows() {
    let events = day();
    let expected = rows(&events);
    for k in 0..events.len() {
        let mut rotated = events.clone();
        rotated.rotate_left(k);
        rotated.reverse();
        assert_eq!(rows(&rotated), expected, "order {k}");
    }
}

#[test]
fn overtime_after_closing_time_counts_until_the_real_clock_off() {
    // T2 clocks on J5 at 17:30 and off at 18:30, after the 18:00 closing
    // time, and the day is closed: the hour counts, nothing is auto-closed
    // and the clock-off is matched (the day close ends only a clock-on that
    // nothing on its own business day ended).
    let mut events = day();
    events.extend([
        added("j5", "J5", 60),
        job_clock("m1", "17:30", "T2", "J5", true),
        job_clock("m2", "18:30", "T2", "J5", false),
    ]);
    let rows = rows(&events);
    let t2 = row(&rows, "T2");
    assert_eq!(
        t2.worked_s,
        3 * 3600 + 3600,
        "J1 09:00–12:00, J5 17:30–18:30"
    );
    assert_eq!((t2.unmatched_offs, t2.jobs_clocked), (0, 2));
    assert_eq!(t2.auto_closed, 1, "only the forgotten shift-off");
    assert_eq!(t2.sold_s, 90 * 60 + 60 * 60, "J5 is all T2's");
}

#[test]
fn a_forgotten_clock_off_ends_at_closing_even_when_the_next_clock_on_is_the_next_morning() {
    let on_22 = Event {
        occurred_at: DateTime::parse_from_rfc3339("2026-11-22T08:30:00+08:00").expect("t"),
        ..ev(
            "t9-on-22",
            "00:00",
            EventBody::ShiftOn {
                technician_id: t("T9"),
            },
        )
    };
    let close_22 = Event {
        occurred_at: DateTime::parse_from_rfc3339("2026-11-22T19:00:00+08:00").expect("t"),
        ..ev(
            "close-22",
            "00:00",
            EventBody::DayClosed {
                business_date: NaiveDate::from_ymd_opt(2026, 11, 22).expect("d"),
            },
        )
    };
    let events = vec![
        on_22,
        close_22,
        ev(
            "t9-on-23",
            "08:00",
            EventBody::ShiftOn {
                technician_id: t("T9"),
            },
        ),
        ev(
            "t9-off-23",
            "17:00",
            EventBody::ShiftOff {
                technician_id: t("T9"),
            },
        ),
    ];
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in &events {
        engine.apply(e);
    }
    let ws = WorkshopId::new("WA").expect("ws");
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("d");
    let on = |d| {
        engine
            .technician_rows(&ws, day(d))
            .into_iter()
            .find(|r| r.technician_id.as_str() == "T9")
            .expect("T9")
    };
    assert_eq!(
        (on(22).attended_s, on(22).auto_closed),
        (9 * 3600 + 1800, 1),
        "08:30 to the 18:00 closing"
    );
    assert_eq!(
        on(23).attended_s,
        9 * 3600,
        "only 08:00 to 17:00 on the 23rd"
    );
}

#[test]
fn a_correction_entered_the_day_before_counts_on_the_day_it_corrects() {
    // T4's shift of the 23rd, 08:00–12:00, entered at 18:00 the day before
    // (made before the interval it sets even began).
    let mut entered = correction("pre", "08:00", "T4", None, "08:00", "12:00");
    entered.occurred_at = DateTime::parse_from_rfc3339("2026-11-22T18:00:00+08:00").expect("t");
    let mut events = day();
    events.push(entered);
    let rows = rows(&events);
    assert_eq!(row(&rows, "T4").adjustments, 1);
    assert_eq!(row(&rows, "T4").attended_s, 4 * 3600);
}

#[test]
fn a_correction_of_a_correction_replaces_it() {
    let mut events = day();
    events.push(correction(
        "t3-fix-2", "12:30", "T3", None, "07:30", "12:00",
    ));
    let rows = rows(&events);
    let t3 = row(&rows, "T3");
    assert_eq!(
        t3.attended_s,
        4 * 3600 + 1800,
        "the second correction (07:30–12:00) replaces the first"
    );
    assert_eq!(t3.adjustments, 2, "both stay in the audit count");
}

#[test]
fn a_correction_replaces_only_the_corrections_it_overlaps() {
    // T3's shift, corrected to 08:00–12:00 in the golden day, is corrected
    // again for 12:00–13:00 and 14:00–16:00, and last for 13:00–14:00, which
    // touches both without overlapping either: all four count, 8 h. Its job
    // clock is corrected on J1 for 10:00–11:00, then on J1 again for
    // 10:00–10:30 (which replaces it), and on J2 for 10:00–11:00 (another
    // job: kept): 30 min + 1 h.
    let fix = |id, made, job, on, off| correction(id, made, "T3", job, on, off);
    let mut events = day();
    events.extend([
        fix("fix-s2", "13:30", None, "12:00", "13:00"),
        fix("fix-s3", "16:30", None, "14:00", "16:00"),
        fix("fix-s4", "17:00", None, "13:00", "14:00"),
        fix("fix-j1a", "11:30", Some("J1"), "10:00", "11:00"),
        fix("fix-j1b", "12:30", Some("J1"), "10:00", "10:30"),
        fix("fix-j2", "11:45", Some("J2"), "10:00", "11:00"),
    ]);
    let rows = rows(&events);
    let t3 = row(&rows, "T3");
    assert_eq!(
        (t3.attended_s, t3.worked_s, t3.adjustments),
        (8 * 3600, 1800 + 3600, 7)
    );
}

#[test]
fn a_correction_that_only_touches_a_raw_interval_adds_to_it() {
    // T1's raw shift is 08:00–17:00. Corrections for 07:00–08:00 and
    // 17:00–18:30 touch it without overlapping: all three count, 11.5 h.
    let fix = |id, on, off| correction(id, "19:00", "T1", None, on, off);
    let mut events = day();
    events.extend([
        fix("t1-early", "07:00", "08:00"),
        fix("t1-late", "17:00", "18:30"),
    ]);
    let rows = rows(&events);
    assert_eq!(row(&rows, "T1").attended_s, 11 * 3600 + 1800);
}

#[test]
fn a_job_correction_replaces_only_its_own_jobs_raw_intervals() {
    // T1 clocked J1 09:00–10:00 and J2 10:00–11:00. A correction on J1 for
    // 10:30–11:30 overlaps the J2 interval but is of another job: J2's hour
    // stays, and the corrected J1 hour is added: 3 h worked.
    let mut events = day();
    events.push(correction(
        "t1-fix-j1",
        "19:00",
        "T1",
        Some("J1"),
        "10:30",
        "11:30",
    ));
    let rows = rows(&events);
    assert_eq!(row(&rows, "T1").worked_s, 3 * 3600);
}

#[test]
fn a_cancelled_repair_order_sells_no_hours() {
    let mut events = day();
    events.push(ev(
        "x-cancel",
        "14:00",
        EventBody::Cancelled {
            ro_id: RepairOrderId::new("X").expect("ro"),
            reason: "x".into(),
        },
    ));
    let rows = rows(&events);
    assert_eq!((row(&rows, "T1").sold_s, row(&rows, "T2").sold_s), (0, 0));
    assert_eq!(
        row(&rows, "T1").worked_s,
        2 * 3600,
        "the time worked still counts"
    );
}

#[test]
fn a_split_that_does_not_divide_evenly_goes_by_largest_remainder() {
    // Two jobs of one minute (60 s), each split by worked time:
    // - J4, T1 3 h and T2 4 h (two intervals, which add up): 60 × 3/7 = 25
    //   remainder 5, 60 × 4/7 = 34 remainder 2. The second left goes to the
    //   larger remainder, T1's, though T2 worked more: 26 and 34.
    // - J5, T1 1 h, T2 1 h, T3 5 h: 8 r 4, 8 r 4, 42 r 6; the two seconds
    //   left go to T3, then to T1 before T2 (a tie, broken by id): 9, 8, 43.
    let mut events = day();
    events.extend([
        added("j4", "J4", 1),
        added("j5", "J5", 1),
        job_clock("k1", "12:00", "T1", "J4", true),
        job_clock("k2", "15:00", "T1", "J4", false),
        job_clock("k3", "12:30", "T2", "J4", true),
        job_clock("k4", "14:30", "T2", "J4", false),
        job_clock("k5", "14:45", "T2", "J4", true),
        job_clock("k6", "16:45", "T2", "J4", false),
        job_clock("m1", "15:30", "T1", "J5", true),
        job_clock("m2", "16:30", "T1", "J5", false),
        job_clock("m3", "16:50", "T2", "J5", true),
        job_clock("m4", "17:50", "T2", "J5", false),
        job_clock("m5", "12:00", "T3", "J5", true),
        job_clock("m6", "17:00", "T3", "J5", false),
    ]);
    let rows = rows(&events);
    let sold = |id| row(&rows, id).sold_s;
    // T1 and T2 also hold 90 min of J1 and J2 each (attended_worked_and_sold_seconds).
    assert_eq!(
        [sold("T1"), sold("T2"), sold("T3")],
        [5400 + 26 + 9, 5400 + 34 + 8, 43]
    );
}

#[test]
fn a_job_nobody_clocked_is_sold_to_its_earliest_dispatch() {
    // J3 (45 min) of X is dispatched twice and nobody clocks it: its standard
    // time goes to the technician of the earlier dispatch (T1 at 09:10, not
    // T3 at 09:30), whatever order the dispatches arrive in.
    for dispatches in [
        [dispatch("d1", "09:10", "T1"), dispatch("d2", "09:30", "T3")],
        [dispatch("d2", "09:30", "T3"), dispatch("d1", "09:10", "T1")],
    ] {
        let mut events = day();
        events.push(added("j3", "J3", 45));
        events.extend(dispatches);
        let rows = rows(&events);
        assert_eq!(row(&rows, "T1").sold_s, (30 + 60 + 45) * 60);
        assert_eq!(row(&rows, "T3").sold_s, 0);
        assert_eq!(row(&rows, "T2").sold_s, 90 * 60, "J1's split is untouched");
    }
}

/// The technician rows written as ingest writes them (each event's changed
/// days, the last write winning) are those of the final state: no row is
/// missing or stale.
fn assert_streamed_rows_are_the_final_ones(events: &[Event]) {
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    let ws = WorkshopId::new("WA").expect("ws");
    let mut written = std::collections::BTreeMap::new();
    for e in events {
        if let Applied::Changed(days) = engine.apply(e) {
            for d in days {
                for r in engine.technician_rows(&ws, d) {
                    written.insert((d, r.technician_id.clone()), r);
                }
            }
        }
    }
    let last: Vec<_> = engine
        .all_technician_rows()
        .into_iter()
        .map(|(_, d, _, r)| ((d, r.technician_id.clone()), r))
        .collect();
    assert_eq!(written.into_iter().collect::<Vec<_>>(), last);
}

/// A dispatch of X's J3 to `tech` at `hm`.
fn dispatch(id: &str, hm: &str, tech: &str) -> Event {
    ev(
        id,
        hm,
        EventBody::JobDispatched {
            ro_id: RepairOrderId::new("X").expect("ro"),
            job_id: JobId::new("J3").expect("job"),
            technician_id: t(tech),
            bay_id: crate::events::BayId::new("B1").expect("bay"),
        },
    )
}

#[test]
fn a_dispatched_technician_who_never_clocks_has_a_row_with_the_sold_time() {
    // J3 (45 min) of X is dispatched to T9, who has no clocking at all (a
    // workshop that dispatches without job clocks): X passes QC at 13:00, so
    // T9's row that day holds the 45 min, and nothing else. T9's job on Y,
    // passed the next day, does not take that row away.
    let mut events = day();
    events.extend([added("j3", "J3", 45), dispatch("d9", "09:10", "T9")]);
    let y = || RepairOrderId::new("Y").expect("ro");
    events.extend([
        ev(
            "y-add",
            "10:00",
            EventBody::JobAdded {
                ro_id: y(),
                job_id: JobId::new("J1").expect("job"),
                labour_operation: "OP".into(),
                standard_minutes: 60,
            },
        ),
        ev(
            "y-d9",
            "10:05",
            EventBody::JobDispatched {
                ro_id: y(),
                job_id: JobId::new("J1").expect("job"),
                technician_id: t("T9"),
                bay_id: crate::events::BayId::new("B2").expect("bay"),
            },
        ),
        on_day("y-qc", 24, "10:00", EventBody::QcPassed { ro_id: y() }),
    ]);
    for order in [events.clone(), events.iter().rev().cloned().collect()] {
        assert_streamed_rows_are_the_final_ones(&order);
        let rows = rows(&order);
        assert_eq!(
            row(&rows, "T9"),
            &TechnicianDay {
                technician_id: t("T9"),
                attended_s: 0,
                worked_s: 0,
                sold_s: 45 * 60,
                jobs_clocked: 0,
                auto_closed: 0,
                adjustments: 0,
                unmatched_offs: 0,
            }
        );
    }
}

#[test]
fn a_technician_once_credited_keeps_the_row_when_the_credit_moves() {
    // As above, then an earlier dispatch of J3 to T1 arrives: T1 gets the
    // 45 min, and T9 keeps a row with none — as if the events came in order
    // (a row, once written, is never taken back).
    let mut events = day();
    events.extend([
        added("j3", "J3", 45),
        dispatch("d9", "09:10", "T9"),
        dispatch("d1", "09:05", "T1"),
    ]);
    let (mut in_order, mut late) = (events.clone(), events);
    in_order.sort_by_key(|e| e.occurred_at);
    for rows in [rows(&in_order), rows(&late)] {
        assert_eq!(row(&rows, "T9").sold_s, 0);
        assert_eq!(row(&rows, "T1").sold_s, (30 + 60 + 45) * 60);
    }
    late.truncate(late.len() - 1);
    assert_eq!(row(&rows(&late), "T9").sold_s, 45 * 60);
}

#[test]
fn a_long_history_and_a_job_sold_days_after_it_was_worked() {
    let stamp = |d: u32, hm: &str| format!("2026-11-{d:02}T{hm}:00+08:00");
    let at_day = |id: &str, d: u32, hm: &str, body: EventBody| wa_event(id, &stamp(d, hm), body);
    let clock = |id: &str, d: u32, hm: &str, tech: &str, ro: &str, job: &str, on: bool| {
        at_day(id, d, hm, job_clocking(tech, ro, job, on))
    };
    let add =
        |id: &str, job: &str, minutes: u32| at_day(id, 20, "08:50", job_added_body(job, minutes));
    let mut events = Vec::new();
    for d in 1..=15 {
        let ro = format!("H{d}");
        events.push(clock(&format!("h{d}on"), d, "09:00", "T1", &ro, "J", true));
        events.push(clock(
            &format!("h{d}off"),
            d,
            "10:00",
            "T1",
            &ro,
            "J",
            false,
        ));
    }
    events.extend([
        add("a1", "J1", 300),
        add("a2", "J2", 60),
        clock("x1", 20, "14:00", "T1", "X", "J1", true),
        clock("x2", 20, "16:00", "T1", "X", "J1", false),
        clock("x3", 20, "15:00", "T2", "X", "J1", true), // never clocked off
        at_day(
            "close-20",
            20,
            "19:00",
            EventBody::DayClosed {
                business_date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("d"),
            },
        ),
        clock("x4", 21, "09:00", "T2", "X", "J2", true),
        clock("x5", 21, "10:00", "T2", "X", "J2", false),
        at_day(
            "qc",
            23,
            "11:00",
            EventBody::QcPassed {
                ro_id: RepairOrderId::new("X").expect("ro"),
            },
        ),
    ]);
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in &events {
        engine.apply(e);
    }
    let ws = WorkshopId::new("WA").expect("ws");
    let on = |d: u32, tech: &str| {
        let rows = engine.technician_rows(&ws, NaiveDate::from_ymd_opt(2026, 11, d).expect("d"));
        let r = row(&rows, tech).clone();
        (r.worked_s, r.sold_s, r.jobs_clocked, r.auto_closed)
    };
    assert_eq!(on(10, "T1"), (3600, 0, 1, 0));
    assert_eq!(on(20, "T1"), (7200, 0, 1, 0));
    assert_eq!(
        on(20, "T2"),
        (10_800, 0, 1, 1),
        "15:00 to the 18:00 closing"
    );
    assert_eq!(on(21, "T2"), (3600, 0, 1, 0));
    // J1's 300 min split 2 h : 3 h; J2's 60 min all T2's.
    assert_eq!(on(23, "T1"), (0, 7200, 0, 0));
    assert_eq!(on(23, "T2"), (0, 10_800 + 3600, 0, 0));
}

/// An event of workshop WA at `d` November, `hm` local time.
fn on_day(id: &str, d: u32, hm: &str, body: EventBody) -> Event {
    wa_event(id, &format!("2026-11-{d}T{hm}:00+08:00"), body)
}

/// A job correction of `tech` on X's `job`, made at 18:30 on the 25th.
fn job_fix(id: &str, tech: &str, job: &str, on: (u32, &str), off: (u32, &str)) -> Event {
    let instant =
        |(d, hm): (u32, &str)| DateTime::parse_from_rfc3339(&format!("2026-11-{d}T{hm}:00+08:00"));
    on_day(
        id,
        25,
        "18:30",
        EventBody::ClockAdjusted {
            technician_id: t(tech),
            adjusted_by: "foreman".into(),
            reason: "clocked off late".into(),
            kind: ClockKind::Job,
            ro_id: Some(RepairOrderId::new("X").expect("ro")),
            job_id: Some(JobId::new(job).expect("job")),
            on_at: instant(on).expect("t"),
            off_at: instant(off).expect("t"),
        },
    )
}

/// The days the last of `events` restated, after the others.
fn restated_by_last(events: &[Event]) -> (Engine, Vec<u32>) {
    use chrono::Datelike;
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    let (last, before) = events.split_last().expect("events");
    for e in before {
        engine.apply(e);
    }
    let Applied::Changed(days) = engine.apply(last) else {
        panic!("absorbed")
    };
    (engine, days.iter().map(|d| d.day()).collect())
}

/// T1 clocks on J1 at 17:00 on the 21st and off at 09:00 on the 23rd (no
/// day was closed, so the interval runs through the 22nd); T2's shifts give
/// the 22nd and 24th events; `fix`, made on the 25th, comes last.
fn overnight_clocking_then(fix: Event) -> Vec<Event> {
    let shift_on = |id: &str, d: u32| {
        on_day(
            id,
            d,
            "12:00",
            EventBody::ShiftOn {
                technician_id: t("T2"),
            },
        )
    };
    vec![
        on_day("a", 21, "17:00", job_clocking("T1", "X", "J1", true)),
        shift_on("b", 22),
        on_day("c", 23, "09:00", job_clocking("T1", "X", "J1", false)),
        shift_on("d", 24),
        fix,
    ]
}

/// T1's worked seconds on the 21st, 22nd and 23rd.
fn t1_worked_21_to_23(engine: &Engine) -> [i64; 3] {
    [21, 22, 23].map(|d| {
        let date = NaiveDate::from_ymd_opt(2026, 11, d).expect("d");
        let rows = engine.technician_rows(&WorkshopId::new("WA").expect("ws"), date);
        row(&rows, "T1").worked_s
    })
}

#[test]
fn a_late_clock_on_restates_every_day_to_the_clock_off_it_now_pairs_with() {
    // T1 (on shift on the 20th) clocked off J1 at 09:00 on the 23rd with
    // nothing open; the clock-on of 17:00 on the 21st arrives last: the
    // interval now runs over the 22nd to the 23rd.
    let shift = |id: &str, d: u32, on: bool| {
        let technician_id = t("T1");
        let body = if on {
            EventBody::ShiftOn { technician_id }
        } else {
            EventBody::ShiftOff { technician_id }
        };
        on_day(id, d, if on { "08:00" } else { "17:00" }, body)
    };
    let events = vec![
        shift("s-on", 20, true),
        shift("s-off", 20, false),
        shift("s-on-22", 22, true),
        on_day("off", 23, "09:00", job_clocking("T1", "X", "J1", false)),
        on_day("on", 21, "17:00", job_clocking("T1", "X", "J1", true)),
    ];
    let (engine, restated) = restated_by_last(&events);
    assert_eq!(restated, [21, 22, 23]);
    assert_eq!(t1_worked_21_to_23(&engine), [7 * 3600, 24 * 3600, 9 * 3600]);
}

#[test]
fn a_correction_restates_the_day_of_a_raw_interval_it_replaces() {
    // Corrected to 08:00–08:30 on the 23rd: the raw interval goes, and with
    // it the 21st's and 22nd's worked time.
    let fix = job_fix("fix", "T1", "J1", (23, "08:00"), (23, "08:30"));
    let (engine, restated) = restated_by_last(&overnight_clocking_then(fix));
    assert_eq!(
        restated,
        [21, 22, 23, 25],
        "not the 24th: nothing of T1's there changed"
    );
    assert_eq!(t1_worked_21_to_23(&engine), [0, 0, 1800]);
}

#[test]
fn a_correction_restates_from_the_clock_on_before_it_not_from_the_last_one() {
    // As above, with T1 clocking J1 again 09:00–10:00 on the 24th: the raw
    // interval the correction replaces still starts at the 21st's clock-on
    // (the last one at or before the correction), not at the 24th's.
    let fix = job_fix("fix", "T1", "J1", (23, "08:00"), (23, "08:30"));
    let mut events = overnight_clocking_then(fix);
    let fix = events.pop().expect("fix");
    events.extend([
        on_day("e", 24, "09:00", job_clocking("T1", "X", "J1", true)),
        on_day("f", 24, "10:00", job_clocking("T1", "X", "J1", false)),
        fix,
    ]);
    let (engine, restated) = restated_by_last(&events);
    assert_eq!(restated, [21, 22, 23, 24, 25]);
    assert_eq!(t1_worked_21_to_23(&engine), [0, 0, 1800]);
}

#[test]
fn a_correction_restates_the_days_a_raw_interval_it_replaces_runs_into() {
    // Corrected at its start to 17:00–17:30 on the 21st: the raw interval
    // goes, and with it the 22nd's and 23rd's worked time.
    let fix = job_fix("fix", "T1", "J1", (21, "17:00"), (21, "17:30"));
    let (engine, restated) = restated_by_last(&overnight_clocking_then(fix));
    assert_eq!(restated, [21, 22, 23, 25]);
    assert_eq!(t1_worked_21_to_23(&engine), [1800, 0, 0]);
}

/// J1 (120 min) of X, which passed QC on the 22nd; T2 works on it 10:00–11:00
/// on the 23rd (rework clocked after the pass), and T1 clocks on at 17:00.
/// Both were on shift on the 21st, so both have rows from then on.
fn worked_after_the_pass() -> Vec<Event> {
    let shift = |tech: &str| EventBody::ShiftOn {
        technician_id: t(tech),
    };
    vec![
        on_day("t1-shift", 21, "08:00", shift("T1")),
        on_day("t2-shift", 21, "08:00", shift("T2")),
        on_day("add", 21, "08:00", job_added_body("J1", 120)),
        on_day(
            "qc",
            22,
            "16:00",
            EventBody::QcPassed {
                ro_id: RepairOrderId::new("X").expect("ro"),
            },
        ),
        on_day("t2-on", 23, "10:00", job_clocking("T2", "X", "J1", true)),
        on_day("t2-off", 23, "11:00", job_clocking("T2", "X", "J1", false)),
        on_day("t1-on", 23, "17:00", job_clocking("T1", "X", "J1", true)),
    ]
}

fn sold_on_22(engine: &Engine) -> (i64, i64) {
    let rows = engine.technician_rows(
        &WorkshopId::new("WA").expect("ws"),
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("d"),
    );
    (row(&rows, "T1").sold_s, row(&rows, "T2").sold_s)
}

#[test]
fn rework_by_a_technician_new_after_the_pass_gets_rows_from_the_pass_day() {
    // T3's first event is rework on J1 on the 24th, 09:00–10:00, two days
    // after X passed QC: T3 has rows from the 22nd (the 23rd's empty), so
    // the clock-on restates all three days; and is sold half of J1 on the
    // 22nd (60 : 60 with T2; T1's clock-on of the 23rd is still open).
    let mut events = worked_after_the_pass();
    events.push(on_day(
        "t3-on",
        24,
        "09:00",
        job_clocking("T3", "X", "J1", true),
    ));
    assert_eq!(restated_by_last(&events).1, [22, 23, 24]);
    events.push(on_day(
        "t3-off",
        24,
        "10:00",
        job_clocking("T3", "X", "J1", false),
    ));
    let (engine, restated) = restated_by_last(&events);
    assert_eq!(restated, [22, 24], "the 23rd's row stays empty");
    let t3 = |d: u32| {
        let date = NaiveDate::from_ymd_opt(2026, 11, d).expect("d");
        let rows = engine.technician_rows(&WorkshopId::new("WA").expect("ws"), date);
        rows.iter()
            .find(|r| r.technician_id.as_str() == "T3")
            .map(|r| (r.worked_s, r.sold_s))
    };
    assert_eq!(
        [21, 22, 23, 24].map(t3),
        [None, Some((0, 3600)), Some((0, 0)), Some((3600, 0))]
    );
    assert_eq!(sold_on_22(&engine), (0, 3600));
}

#[test]
fn a_late_qc_pass_gives_the_dispatched_technician_rows_from_its_day_on() {
    // J1 was also dispatched to T3 (never clocking); the pass of the 22nd
    // arrives last, giving T3 rows on the 22nd and the 23rd.
    let mut events = worked_after_the_pass();
    let qc = events.remove(3);
    assert!(matches!(qc.body, EventBody::QcPassed { .. }));
    events.push(on_day(
        "d3",
        21,
        "08:05",
        EventBody::JobDispatched {
            ro_id: RepairOrderId::new("X").expect("ro"),
            job_id: JobId::new("J1").expect("job"),
            technician_id: t("T3"),
            bay_id: crate::events::BayId::new("B1").expect("bay"),
        },
    ));
    events.push(qc);
    assert_eq!(restated_by_last(&events).1, [22, 23]);
    assert_streamed_rows_are_the_final_ones(&events);
}

#[test]
fn rework_by_a_technician_on_shift_only_since_after_the_pass_restates_the_days_between() {
    // X passes on the 21st (T2 is on shift on the 22nd); T3, on shift from
    // the 23rd, clocks rework on J1 that day: T3 now has rows from the 21st,
    // so the 22nd gains an empty one.
    let mut events = worked_after_the_pass();
    events[3] = on_day(
        "qc",
        21,
        "16:00",
        EventBody::QcPassed {
            ro_id: RepairOrderId::new("X").expect("ro"),
        },
    );
    events.extend([
        on_day(
            "t2-shift-22",
            22,
            "08:00",
            EventBody::ShiftOn {
                technician_id: t("T2"),
            },
        ),
        on_day(
            "t3-shift",
            23,
            "09:00",
            EventBody::ShiftOn {
                technician_id: t("T3"),
            },
        ),
        on_day("t3-on", 23, "12:00", job_clocking("T3", "X", "J1", true)),
    ]);
    assert_eq!(restated_by_last(&events).1, [21, 22, 23]);
    assert_streamed_rows_are_the_final_ones(&events);
}

#[test]
fn a_technician_whose_only_time_on_a_passed_job_is_a_correction_is_sold_it() {
    // T4 never clocked; on the 25th the foreman enters T4's hour on J1 on the
    // 23rd, after X passed QC on the 22nd: T4 gets half of J1 there.
    let mut events = worked_after_the_pass();
    events.push(job_fix("fix", "T4", "J1", (23, "13:00"), (23, "14:00")));
    let (engine, _) = restated_by_last(&events);
    let rows = engine.technician_rows(
        &WorkshopId::new("WA").expect("ws"),
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("d"),
    );
    assert_eq!(row(&rows, "T4").sold_s, 3600);
    assert_eq!(row(&rows, "T2").sold_s, 3600);
}

#[test]
fn a_shift_correction_naming_a_job_does_not_put_its_technician_on_the_crew() {
    // T9's only event: a shift correction for 08:00–12:00 on the 24th that
    // names X's J1 (the schema allows it). A shift earns no sold time, so T9
    // has no rows before the 24th, where X passed QC on the 22nd.
    let instant =
        |hm: &str| DateTime::parse_from_rfc3339(&format!("2026-11-24T{hm}:00+08:00")).expect("t");
    let mut events = worked_after_the_pass();
    events.push(on_day(
        "t9-fix",
        24,
        "18:00",
        EventBody::ClockAdjusted {
            technician_id: t("T9"),
            adjusted_by: "foreman".into(),
            reason: "forgot the shift".into(),
            kind: ClockKind::Shift,
            ro_id: Some(RepairOrderId::new("X").expect("ro")),
            job_id: Some(JobId::new("J1").expect("job")),
            on_at: instant("08:00"),
            off_at: instant("12:00"),
        },
    ));
    let (engine, restated) = restated_by_last(&events);
    assert_eq!(restated, [24]);
    let t9 = |d: u32| {
        let date = NaiveDate::from_ymd_opt(2026, 11, d).expect("d");
        let rows = engine.technician_rows(&WorkshopId::new("WA").expect("ws"), date);
        rows.iter()
            .find(|r| r.technician_id.as_str() == "T9")
            .map(|r| r.attended_s)
    };
    assert_eq!([22, 23, 24].map(t9), [None, None, Some(4 * 3600)]);
}

#[test]
fn a_job_clocking_restates_the_earlier_day_its_job_was_sold() {
    // T1's clock-off at 18:00 on the 23rd arrives last: the 22nd, where J1
    // is sold, now splits 60 : 60.
    let mut events = worked_after_the_pass();
    events.push(on_day(
        "t1-off",
        23,
        "18:00",
        job_clocking("T1", "X", "J1", false),
    ));
    let (engine, restated) = restated_by_last(&events);
    assert!(restated.contains(&22), "{restated:?}");
    assert_eq!(sold_on_22(&engine), (3600, 3600));
}

#[test]
fn a_day_close_restates_the_earlier_day_a_job_clocked_that_day_was_sold() {
    // T1 forgets to clock off, and clocks on J2 the next morning at 08:00:
    // until the 23rd is closed J1 runs 17:00–08:00 (15 h against T2's 1 h);
    // its day close, arriving last, ends it at 18:00 and must restate the
    // 22nd, where J1 is sold: 60 : 60.
    let mut events = worked_after_the_pass();
    events.extend([
        on_day("t1-j2", 24, "08:00", job_clocking("T1", "X", "J2", true)),
        on_day(
            "close",
            23,
            "23:00",
            EventBody::DayClosed {
                business_date: NaiveDate::from_ymd_opt(2026, 11, 23).expect("d"),
            },
        ),
    ]);
    let (before, _) = restated_by_last(&events[..events.len() - 1]);
    assert_eq!(sold_on_22(&before), (6750, 450), "120 min split 15 : 1");
    let (engine, restated) = restated_by_last(&events);
    assert!(restated.contains(&22), "{restated:?}");
    assert_eq!(sold_on_22(&engine), (3600, 3600));
}

/// The 23rd's close, which ends T1's forgotten clock-on of 17:00 at 18:00.
fn close_23() -> Event {
    on_day(
        "close",
        23,
        "23:00",
        EventBody::DayClosed {
            business_date: NaiveDate::from_ymd_opt(2026, 11, 23).expect("d"),
        },
    )
}

#[test]
fn a_clocking_after_a_closed_interval_restates_no_earlier_day() {
    // T2's interval on the 23rd was clocked off, and T1's clock-on was ended
    // by the day close: a clock-on of either on Y (never passed QC) on the
    // 24th changes nothing before it.
    for tech in ["T1", "T2"] {
        let mut events = worked_after_the_pass();
        events.extend([
            close_23(),
            on_day("next", 24, "08:00", job_clocking(tech, "Y", "J9", true)),
        ]);
        let (_, restated) = restated_by_last(&events);
        assert_eq!(restated, [24], "{tech}");
    }
}

#[test]
fn a_late_clocking_on_a_closed_day_restates_the_interval_it_now_ends() {
    // The 23rd was closed, ending T1's clock-on of 17:00 on J1 at 18:00 (60 : 60
    // on the 22nd, where J1 is sold). T1's clock-on on Y at 17:30 that day
    // arrives last: J1's interval now ends there, so the 22nd splits 30 : 60.
    let mut events = worked_after_the_pass();
    events.push(close_23());
    let (before, _) = restated_by_last(&events);
    assert_eq!(sold_on_22(&before), (3600, 3600));
    events.push(on_day(
        "late",
        23,
        "17:30",
        job_clocking("T1", "Y", "J9", true),
    ));
    let (engine, restated) = restated_by_last(&events);
    assert_eq!(restated, [22, 23]);
    assert_eq!(sold_on_22(&engine), (2400, 4800));
}

#[test]
fn a_correction_restates_the_sold_day_of_its_job() {
    // T1 1 h and T2 3 h on J1 (120 min) on the 21st; X passes QC on the 23rd:
    // T1 is sold 30 min, T2 90 min there. On the 25th T2's interval is
    // corrected to 1 h, so the 23rd splits 60 : 60.
    let events = vec![
        on_day("add", 21, "08:00", job_added_body("J1", 120)),
        on_day("t1-on", 21, "09:00", job_clocking("T1", "X", "J1", true)),
        on_day("t1-off", 21, "10:00", job_clocking("T1", "X", "J1", false)),
        on_day("t2-on", 21, "10:00", job_clocking("T2", "X", "J1", true)),
        on_day("t2-off", 21, "13:00", job_clocking("T2", "X", "J1", false)),
        on_day(
            "qc",
            23,
            "10:00",
            EventBody::QcPassed {
                ro_id: RepairOrderId::new("X").expect("ro"),
            },
        ),
        job_fix("fix", "T2", "J1", (21, "10:00"), (21, "11:00")),
    ];
    let (engine, restated) = restated_by_last(&events);
    assert_eq!(restated, [21, 23, 25]);
    let rows = engine.technician_rows(
        &WorkshopId::new("WA").expect("ws"),
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("d"),
    );
    assert_eq!(
        (row(&rows, "T1").sold_s, row(&rows, "T2").sold_s),
        (3600, 3600)
    );
}

#[test]
fn a_correction_counts_on_the_day_it_corrects_not_the_day_it_was_made() {
    // Both made on the 25th: T1's interval on the 23rd, and one on the 22nd
    // for T3, who never clocked at all.
    let mut events =
        overnight_clocking_then(job_fix("fix", "T1", "J1", (23, "08:00"), (23, "08:30")));
    events.push(job_fix("fix-t3", "T3", "J1", (22, "14:00"), (22, "14:30")));
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in &events {
        engine.apply(e);
    }
    let rows_on = |d: u32| {
        let date = NaiveDate::from_ymd_opt(2026, 11, d).expect("d");
        engine.technician_rows(&WorkshopId::new("WA").expect("ws"), date)
    };
    let (t1_23, t1_25) = (rows_on(23), rows_on(25));
    assert_eq!(row(&t1_23, "T1").adjustments, 1);
    assert_eq!(row(&t1_25, "T1").adjustments, 0);
    // T3's rows start on the day of the corrected interval.
    assert!(rows_on(21).iter().all(|r| r.technician_id.as_str() != "T3"));
    let t3_22 = rows_on(22);
    assert_eq!(
        (row(&t3_22, "T3").adjustments, row(&t3_22, "T3").worked_s),
        (1, 1800)
    );
}
