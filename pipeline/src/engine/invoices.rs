//! Settled invoices (kpis.md §4.1). One copy of each invoice number counts:
//! the earliest by `(occurred_at, event_id)`, so a DMS that re-sends an
//! invoice under a new event id is not counted twice. The other copies are
//! kept too, because a copy with other amounts is not a re-send but a
//! disagreement the workshop has to see: each is counted on its own day as an
//! invoice conflict. A red-letter invoice (红字发票, negative amounts) is an
//! invoice of its own number: it counts, negatively, on its own day, and never
//! edits the day of the invoice it reverses.

use super::HashMap;
use super::changed_days::Gathered;
use super::event_key::EventKey;
use super::fact::Fact;
use super::output_value::net_output_value;
use crate::events::{EventBody, Fen, InvoiceNo, Payer, RepairOrderId};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// One copy of an invoice: a `settled` event.
#[derive(Debug, Clone)]
pub(super) struct Settlement {
    key: EventKey,
    /// The business day it was settled.
    pub(super) day: NaiveDate,
    pub(super) ro_id: RepairOrderId,
    pub(super) payer: Payer,
    /// 产值: (gross − discount) ÷ (1 + tax rate), rounded per invoice.
    pub(super) net: Fen,
    pub(super) gross: Fen,
    pub(super) discount: Fen,
    pub(super) labour: Fen,
    pub(super) parts: Fen,
    pub(super) other: Fen,
}

impl Settlement {
    /// Whether this is a red-letter invoice (红字发票): its amounts are ≤ 0
    /// and one of them is below (ingest refuses mixed signs).
    pub(super) fn is_reversal(&self) -> bool {
        self.gross.0 < 0 || self.discount.0 < 0
    }

    /// Whether `other` would put the same figures in every KPI (its time and
    /// event id aside).
    fn same_figures(&self, other: &Self) -> bool {
        (
            &self.ro_id,
            self.payer,
            self.net,
            self.gross,
            self.discount,
            self.labour,
            self.parts,
            self.other,
        ) == (
            &other.ro_id,
            other.payer,
            other.net,
            other.gross,
            other.discount,
            other.labour,
            other.parts,
            other.other,
        )
    }
}

/// Every copy of one invoice number.
#[derive(Debug, Clone)]
struct Invoice {
    /// The earliest copy: the one that counts.
    counted: Settlement,
    /// The later copies, in arrival order.
    others: Vec<Settlement>,
}

/// One workshop's invoices.
#[derive(Debug, Clone, Default)]
pub(super) struct Invoices {
    /// Boxed: a settlement is over a hundred bytes, and the table moves every
    /// entry each time it doubles.
    by_number: HashMap<InvoiceNo, Box<Invoice>>,
    /// The invoices counted on each day.
    counted_by_day: BTreeMap<NaiveDate, BTreeSet<InvoiceNo>>,
    /// The invoices with a copy that does not count, by that copy's day.
    others_by_day: BTreeMap<NaiveDate, BTreeSet<InvoiceNo>>,
}

impl Invoices {
    /// Files a `settled` event and gathers the days whose rows it changes;
    /// other events are ignored.
    pub(super) fn absorb(&mut self, fact: &Fact, changed: &mut Gathered) {
        let Fact { key, day, body, .. } = *fact;
        let EventBody::Settled {
            ro_id,
            invoice_no,
            payer,
            labour_fen,
            parts_fen,
            other_fen,
            discount_fen,
            tax_rate_bp,
            ..
        } = body
        else {
            return;
        };
        let gross = labour_fen.fen() + parts_fen.fen() + other_fen.fen();
        let copy = Settlement {
            key: key.clone(),
            day,
            ro_id: ro_id.clone(),
            payer: *payer,
            net: net_output_value(gross, discount_fen.fen(), *tax_rate_bp),
            gross,
            discount: discount_fen.fen(),
            labour: labour_fen.fen(),
            parts: parts_fen.fen(),
            other: other_fen.fen(),
        };
        changed.insert(day);
        let Some(invoice) = self.by_number.get_mut(invoice_no) else {
            self.counted_by_day
                .entry(day)
                .or_default()
                .insert(invoice_no.clone());
            self.by_number.insert(
                invoice_no.clone(),
                Box::new(Invoice {
                    counted: copy,
                    others: Vec::new(),
                }),
            );
            return;
        };
        let later = if copy.key < invoice.counted.key {
            // The new copy is the earliest: it counts, and every other copy is
            // now compared with it.
            let was = std::mem::replace(&mut invoice.counted, copy);
            if let Some(set) = self.counted_by_day.get_mut(&was.day) {
                set.remove(invoice_no);
            }
            self.counted_by_day
                .entry(day)
                .or_default()
                .insert(invoice_no.clone());
            changed.extend(invoice.others.iter().map(|o| o.day));
            was
        } else {
            copy
        };
        changed.insert(later.day);
        self.others_by_day
            .entry(later.day)
            .or_default()
            .insert(invoice_no.clone());
        invoice.others.push(later);
    }

    /// The copies counted on `date`.
    pub(super) fn counted_on(&self, date: NaiveDate) -> impl Iterator<Item = &Settlement> {
        self.counted_by_day
            .get(&date)
            .into_iter()
            .flatten()
            .filter_map(|no| self.by_number.get(no).map(|invoice| &invoice.counted))
    }

    /// Copies received on `date` of an invoice that counts from an earlier
    /// copy with other figures.
    pub(super) fn conflicts_on(&self, date: NaiveDate) -> u32 {
        let conflicting = self
            .others_by_day
            .get(&date)
            .into_iter()
            .flatten()
            .filter_map(|no| self.by_number.get(no))
            .flat_map(|invoice| {
                invoice
                    .others
                    .iter()
                    .filter(|o| o.day == date && !o.same_figures(&invoice.counted))
            })
            .count();
        u32::try_from(conflicting).unwrap_or(u32::MAX)
    }
}
