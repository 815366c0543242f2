//! `[workshops.kpi]` and `[workshops.sites.<id>.kpi]`: the definition variants
//! of the KPIs (docs/kpis.md §2, §10), checked and turned into the engine's
//! [`KpiSettings`](crate::engine::KpiSettings).

use super::{ConfigError, invalid};
use serde::Deserialize;
use std::collections::BTreeMap;

/// `[workshops.kpi]`: definition variants (docs/kpis.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KpiConfig {
    /// Minutes after the promise that still count as on time.
    pub on_time_grace_minutes: i64,
    /// `"ready"` or `"delivered"`: which completion the headline on-time rate reads.
    pub on_time_basis: crate::engine::OnTimeBasis,
    /// Days after delivery within which a return for the same fault is a comeback.
    pub comeback_window_days: i64,
    /// ROs one service advisor should open in a day at most.
    pub advisor_daily_limit: u32,
    /// Minutes kept free for QC and washing before a promise (at-risk warning).
    pub at_risk_buffer_minutes: i64,
    /// Standard minutes per accident-repair step code.
    pub accident_steps: BTreeMap<String, u32>,
    /// The formula of each technician rate.
    pub technician_rates: RateFormulasConfig,
}

/// `[workshops.kpi.technician_rates]`: each rate's formula, `"<time>/<time>"`
/// of `attended`, `worked` and `sold` (docs/kpis.md §5.4); a key absent takes
/// the default (or, for a site, `[workshops.kpi]`'s value).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateFormulasConfig {
    /// 工时利用率; default `"worked/attended"`.
    pub utilisation: Option<String>,
    /// 工时效率; default `"sold/worked"`.
    pub efficiency: Option<String>,
    /// 生产率; default `"sold/attended"`.
    pub productivity: Option<String>,
}

impl RateFormulasConfig {
    /// `base` with these keys on top.
    fn over(&self, base: &Self) -> Self {
        let pick = |mine: &Option<String>, theirs: &Option<String>| mine.clone().or(theirs.clone());
        Self {
            utilisation: pick(&self.utilisation, &base.utilisation),
            efficiency: pick(&self.efficiency, &base.efficiency),
            productivity: pick(&self.productivity, &base.productivity),
        }
    }

    /// The formulas (`key` names the table in errors).
    fn formulas(&self, key: &str) -> Result<crate::engine::TechnicianRateFormulas, ConfigError> {
        let defaults = crate::engine::TechnicianRateFormulas::default();
        let formula = |name: &str, text: &Option<String>, default| match text {
            None => Ok(default),
            Some(text) => text.parse().map_err(|e: crate::engine::RateFormulaError| {
                invalid(&format!("{key}.technician_rates.{name}"), e.to_string())
            }),
        };
        Ok(crate::engine::TechnicianRateFormulas {
            utilisation: formula("utilisation", &self.utilisation, defaults.utilisation)?,
            efficiency: formula("efficiency", &self.efficiency, defaults.efficiency)?,
            productivity: formula("productivity", &self.productivity, defaults.productivity)?,
        })
    }
}

impl Default for KpiConfig {
    fn default() -> Self {
        let d = crate::engine::KpiSettings::default();
        Self {
            on_time_grace_minutes: d.on_time_grace_minutes,
            on_time_basis: d.on_time_basis,
            comeback_window_days: d.comeback_window_hours / 24,
            advisor_daily_limit: d.advisor_daily_limit,
            at_risk_buffer_minutes: d.at_risk_buffer_minutes,
            accident_steps: d.accident_steps,
            technician_rates: RateFormulasConfig::default(),
        }
    }
}

/// `[workshops.sites.<id>.kpi]`: overrides of `[workshops.kpi]` for one site.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteKpiConfig {
    /// See [`KpiConfig::on_time_grace_minutes`].
    pub on_time_grace_minutes: Option<i64>,
    /// See [`KpiConfig::on_time_basis`].
    pub on_time_basis: Option<crate::engine::OnTimeBasis>,
    /// See [`KpiConfig::comeback_window_days`].
    pub comeback_window_days: Option<i64>,
    /// See [`KpiConfig::advisor_daily_limit`].
    pub advisor_daily_limit: Option<u32>,
    /// See [`KpiConfig::at_risk_buffer_minutes`].
    pub at_risk_buffer_minutes: Option<i64>,
    /// See [`KpiConfig::accident_steps`]; replaces the whole table when given.
    pub accident_steps: Option<BTreeMap<String, u32>>,
    /// See [`KpiConfig::technician_rates`]; each key absent takes
    /// `[workshops.kpi.technician_rates]`'s.
    pub technician_rates: RateFormulasConfig,
}

impl SiteKpiConfig {
    /// `base` with this site's values on top.
    pub fn over(&self, base: &KpiConfig) -> KpiConfig {
        KpiConfig {
            on_time_grace_minutes: self
                .on_time_grace_minutes
                .unwrap_or(base.on_time_grace_minutes),
            on_time_basis: self.on_time_basis.unwrap_or(base.on_time_basis),
            comeback_window_days: self
                .comeback_window_days
                .unwrap_or(base.comeback_window_days),
            advisor_daily_limit: self.advisor_daily_limit.unwrap_or(base.advisor_daily_limit),
            at_risk_buffer_minutes: self
                .at_risk_buffer_minutes
                .unwrap_or(base.at_risk_buffer_minutes),
            accident_steps: self
                .accident_steps
                .clone()
                .unwrap_or_else(|| base.accident_steps.clone()),
            technician_rates: self.technician_rates.over(&base.technician_rates),
        }
    }
}

impl KpiConfig {
    /// Validates the values (`key` names the table in errors) and converts them.
    pub fn settings(&self, key: &str) -> Result<crate::engine::KpiSettings, ConfigError> {
        let bad = |field: &str, reason: &str| Err(invalid(&format!("{key}.{field}"), reason));
        if !(0..=24 * 60).contains(&self.on_time_grace_minutes) {
            return bad("on_time_grace_minutes", "must be between 0 and 1440");
        }
        if !(1..=365).contains(&self.comeback_window_days) {
            return bad("comeback_window_days", "must be between 1 and 365");
        }
        if !(0..=240).contains(&self.at_risk_buffer_minutes) {
            return bad("at_risk_buffer_minutes", "must be between 0 and 240");
        }
        if self.advisor_daily_limit == 0 {
            return bad("advisor_daily_limit", "must be at least 1");
        }
        let bad_step = |s: &String| {
            s.is_empty()
                || s.len() > 32
                || !s
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        if let Some(step) = self.accident_steps.keys().find(|s| bad_step(s)) {
            return bad(
                &format!("accident_steps.{step}"),
                "step codes are 1 to 32 characters of a-z 0-9 _",
            );
        }
        Ok(crate::engine::KpiSettings {
            on_time_grace_minutes: self.on_time_grace_minutes,
            on_time_basis: self.on_time_basis,
            comeback_window_hours: self.comeback_window_days * 24,
            advisor_daily_limit: self.advisor_daily_limit,
            at_risk_buffer_minutes: self.at_risk_buffer_minutes,
            accident_steps: self.accident_steps.clone(),
            technician_rates: self.technician_rates.formulas(key)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::super::tests::{refused_key, site};

    #[test]
    fn each_kpi_value_is_refused_just_past_its_limit() {
        let kpi = |k: &str| Some(format!("workshops.kpi.{k}"));
        for (table, refused) in [
            ("on_time_grace_minutes = 1440", None),
            ("on_time_grace_minutes = 1441", kpi("on_time_grace_minutes")),
            ("on_time_grace_minutes = -1", kpi("on_time_grace_minutes")),
            ("comeback_window_days = 365", None),
            ("comeback_window_days = 366", kpi("comeback_window_days")),
            ("at_risk_buffer_minutes = 240", None),
            (
                "at_risk_buffer_minutes = 241",
                kpi("at_risk_buffer_minutes"),
            ),
            ("advisor_daily_limit = 1", None),
            ("advisor_daily_limit = 0", kpi("advisor_daily_limit")),
        ] {
            let text = format!("[workshops.kpi]\n{table}");
            assert_eq!(refused_key(&text), refused, "{table}");
        }
    }

    #[test]
    fn accident_step_codes_are_1_to_32_of_a_z_0_9_underscore() {
        let long = "a".repeat(32);
        let too_long = "a".repeat(33);
        for (code, ok) in [
            ("paint_2", true),
            (long.as_str(), true),
            (too_long.as_str(), false),
            ("", false),
            ("Paint", false),
            ("paint-2", false),
        ] {
            let table = format!("[workshops.kpi.accident_steps]\n\"{code}\" = 90");
            assert_eq!(
                refused_key(&table),
                (!ok).then(|| format!("workshops.kpi.accident_steps.{code}")),
                "{code:?}"
            );
        }
    }

    #[test]
    fn a_site_overrides_single_kpi_variants() {
        let config = Config::from_toml(
            r#"
            [workshops.kpi]
            comeback_window_days = 14
            advisor_daily_limit = 10
            [workshops.sites.W001.kpi]
            on_time_grace_minutes = 15
            [workshops.sites.W002]
            name = "no overrides"
            "#,
        )
        .expect("parses");
        let dir = config.workshop_directory().expect("valid");
        let w1 = &site(&dir, "W001").kpi;
        assert_eq!(
            (
                w1.on_time_grace_minutes,
                w1.comeback_window_hours,
                w1.advisor_daily_limit
            ),
            (15, 14 * 24, 10)
        );
        let w2 = &site(&dir, "W002").kpi;
        assert_eq!(
            (w2.on_time_grace_minutes, w2.comeback_window_hours),
            (0, 14 * 24)
        );
        assert_eq!(
            refused_key("[workshops.sites.W1.kpi]\ncomeback_window_days = 0").as_deref(),
            Some("workshops.sites.W1.kpi.comeback_window_days")
        );
    }

    #[test]
    fn the_on_time_basis_is_ready_or_delivered_per_site() {
        let config = Config::from_toml(
            r#"
            [workshops.kpi]
            on_time_basis = "delivered"
            [workshops.sites.W001.kpi]
            on_time_basis = "ready"
            [workshops.sites.W002]
            name = "no overrides"
            "#,
        )
        .expect("parses");
        let dir = config.workshop_directory().expect("valid");
        let basis = |id: &str| site(&dir, id).kpi.on_time_basis;
        use crate::engine::OnTimeBasis::{Delivered, Ready};
        assert_eq!((basis("W001"), basis("W002")), (Ready, Delivered));
        let err = Config::from_toml("[workshops.kpi]\non_time_basis = \"handed_over\"")
            .expect_err("refused");
        assert!(
            err.contains("on_time_basis") && err.contains("delivered"),
            "{err}"
        );
    }

    #[test]
    fn technician_rate_formulas_are_set_per_rate_and_site() {
        let config = Config::from_toml(
            r#"
            [workshops.kpi.technician_rates]
            productivity = "worked/attended"
            efficiency = "sold/attended"
            [workshops.sites.W001.kpi.technician_rates]
            efficiency = "sold / worked"
            [workshops.sites.W002]
            name = "no overrides"
            "#,
        )
        .expect("parses");
        let dir = config.workshop_directory().expect("valid");
        let formulas = |id: &str| {
            let rates = site(&dir, id).kpi.technician_rates;
            [rates.utilisation, rates.efficiency, rates.productivity].map(|f| f.to_string())
        };
        // W001 takes the group's productivity and its own efficiency; both
        // take the default utilisation.
        assert_eq!(
            formulas("W001"),
            ["worked/attended", "sold/worked", "worked/attended"]
        );
        assert_eq!(
            formulas("W002"),
            ["worked/attended", "sold/attended", "worked/attended"]
        );
        for (text, key) in [
            (
                "[workshops.kpi.technician_rates]\nutilisation = \"worked/worked\"",
                "workshops.kpi.technician_rates.utilisation",
            ),
            (
                "[workshops.sites.W1.kpi.technician_rates]\nefficiency = \"standard/worked\"",
                "workshops.sites.W1.kpi.technician_rates.efficiency",
            ),
        ] {
            assert_eq!(refused_key(text).as_deref(), Some(key), "{text}");
        }
        let typo = Config::from_toml("[workshops.kpi.technician_rates]\nproductivty = \"x\"")
            .expect_err("typo refused");
        assert!(typo.contains("productivty"), "{typo}");
    }
}
