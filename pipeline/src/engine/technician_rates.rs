//! What each technician rate divides by what. Markets give the same names
//! different formulas (kpi-reference §4.5): 生产率 is worked ÷ attended in some
//! dealer groups and sold ÷ attended in others, and seed 003's 人员效率 is
//! sold ÷ attended. So each named rate's formula is a setting, and every
//! answer that carries a rate also carries its formula (docs/kpis.md §5.4).

use std::fmt;
use std::str::FromStr;

/// A technician's seconds of each time (one day's, or days and technicians
/// summed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TechnicianSeconds {
    /// 出勤: the shift clock.
    pub attended: i64,
    /// 实际: the job clock.
    pub worked: i64,
    /// 已售: standard time credited.
    pub sold: i64,
}

impl std::ops::Add for TechnicianSeconds {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            attended: self.attended + other.attended,
            worked: self.worked + other.worked,
            sold: self.sold + other.sold,
        }
    }
}

/// One of a technician's three times (docs/kpis.md §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TechnicianTime {
    /// 出勤工时: the shift clock.
    Attended,
    /// 实际工时: the job clock.
    Worked,
    /// 已售工时: standard time of jobs whose order passed QC.
    Sold,
}

impl TechnicianTime {
    const ALL: [Self; 3] = [Self::Attended, Self::Worked, Self::Sold];

    fn name(self) -> &'static str {
        match self {
            Self::Attended => "attended",
            Self::Worked => "worked",
            Self::Sold => "sold",
        }
    }

    /// This time's seconds.
    fn of(self, seconds: TechnicianSeconds) -> i64 {
        match self {
            Self::Attended => seconds.attended,
            Self::Worked => seconds.worked,
            Self::Sold => seconds.sold,
        }
    }
}

/// A rate: one time divided by another, written `"sold/worked"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateFormula {
    /// What is divided.
    pub numerator: TechnicianTime,
    /// What it is divided by.
    pub denominator: TechnicianTime,
}

impl RateFormula {
    /// `(numerator, denominator)` of `seconds`.
    pub fn terms(self, seconds: TechnicianSeconds) -> (i64, i64) {
        (self.numerator.of(seconds), self.denominator.of(seconds))
    }
}

impl fmt::Display for RateFormula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator.name(), self.denominator.name())
    }
}

impl serde::Serialize for RateFormula {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why a formula's text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateFormulaError {
    /// Not `<time>/<time>`.
    #[error("{0:?} is not <time>/<time>, e.g. \"sold/worked\"")]
    NotARatio(String),
    /// A side that is not a technician time.
    #[error("{0:?} is not a technician time: use attended, worked or sold")]
    UnknownTime(String),
    /// The same time on both sides.
    #[error("{0}/{0} is always 100 %: divide two different times")]
    SameTimes(String),
}

impl FromStr for RateFormula {
    type Err = RateFormulaError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (numerator, denominator) = text
            .split_once('/')
            .ok_or_else(|| RateFormulaError::NotARatio(text.to_string()))?;
        let time = |side: &str| {
            let side = side.trim();
            TechnicianTime::ALL
                .into_iter()
                .find(|t| t.name() == side)
                .ok_or_else(|| RateFormulaError::UnknownTime(side.to_string()))
        };
        let formula = Self {
            numerator: time(numerator)?,
            denominator: time(denominator)?,
        };
        if formula.numerator == formula.denominator {
            return Err(RateFormulaError::SameTimes(
                formula.numerator.name().to_string(),
            ));
        }
        Ok(formula)
    }
}

/// The formula of each named technician rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TechnicianRateFormulas {
    /// 工时利用率; by default worked/attended.
    pub utilisation: RateFormula,
    /// 工时效率; by default sold/worked.
    pub efficiency: RateFormula,
    /// 生产率; by default sold/attended.
    pub productivity: RateFormula,
}

impl Default for TechnicianRateFormulas {
    /// The UK/US definitions, which kpi-reference §7 starts from.
    fn default() -> Self {
        use TechnicianTime::{Attended, Sold, Worked};
        let ratio = |numerator, denominator| RateFormula {
            numerator,
            denominator,
        };
        Self {
            utilisation: ratio(Worked, Attended),
            efficiency: ratio(Sold, Worked),
            productivity: ratio(Sold, Attended),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_reads_and_writes_as_time_over_time() {
        let formula: RateFormula = " worked / attended ".parse().expect("formula");
        assert_eq!(formula, TechnicianRateFormulas::default().utilisation);
        assert_eq!(formula.to_string(), "worked/attended");
        // 81,000 s attended, 18,000 worked, 10,800 sold (kpis.md §5.3).
        let day = TechnicianSeconds {
            attended: 81_000,
            worked: 18_000,
            sold: 10_800,
        };
        assert_eq!(formula.terms(day), (18_000, 81_000));
        let sold_over_worked: RateFormula = "sold/worked".parse().expect("formula");
        assert_eq!(sold_over_worked.terms(day), (10_800, 18_000));
    }

    #[test]
    fn a_formula_that_is_not_two_different_times_is_refused() {
        assert_eq!(
            "sold".parse::<RateFormula>(),
            Err(RateFormulaError::NotARatio("sold".into()))
        );
        assert_eq!(
            "sold/clocked".parse::<RateFormula>(),
            Err(RateFormulaError::UnknownTime("clocked".into()))
        );
        assert_eq!(
            "Sold/worked".parse::<RateFormula>(),
            Err(RateFormulaError::UnknownTime("Sold".into()))
        );
        assert_eq!(
            "worked/worked".parse::<RateFormula>(),
            Err(RateFormulaError::SameTimes("worked".into()))
        );
        assert_eq!(
            "sold/worked/attended".parse::<RateFormula>(),
            Err(RateFormulaError::UnknownTime("worked/attended".into()))
        );
    }

    #[test]
    fn the_defaults_are_the_uk_us_definitions() {
        let d = TechnicianRateFormulas::default();
        assert_eq!(
            [d.utilisation, d.efficiency, d.productivity].map(|f| f.to_string()),
            ["worked/attended", "sold/worked", "sold/attended"]
        );
        assert_eq!(
            serde_json::to_value(d).expect("json"),
            serde_json::json!({
                "utilisation": "worked/attended",
                "efficiency": "sold/worked",
                "productivity": "sold/attended",
            })
        );
    }
}
