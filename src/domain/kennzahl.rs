//! The one table of Kennzahlen (contract section 2) and the monthly columns they are
//! computed from (contract 1.1). Adding a figure is one entry in [`Kennzahl::ALL`] with its
//! [`Formula`]; figures, `kennzahlen.csv`, reports and overview all read this table.

use serde::Serialize;

/// Money is held exactly as integer millionths of a euro: six decimals keep every amount a
/// delivery writes (cents and beyond), and sums never depend on the order of addition.
pub const MONEY_SCALE: i128 = 1_000_000;

/// Whether a value column holds counts or euros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Count,
    Money,
}

/// A value column of `monatswerte.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Col {
    Elb,
    Bg,
    Int,
    Lzb,
    IntLzb,
    LluEur,
    KduEur,
    IntSvb,
    IntNachhaltig,
    IntBedarfsdeckend,
    Lzb4j,
    ElbAsyl8,
    IntAsyl8,
    LzbAsyl8,
    ElbFrauen,
    ElbMaenner,
    IntFrauen,
    IntMaenner,
    LzbFrauen,
    LzbMaenner,
    IntLzbFrauen,
    IntLzbMaenner,
}

impl Col {
    pub const COUNT: usize = 22;

    /// The names of `N` columns of [`Col::ALL`] from `first` on (for tables written in
    /// that order, as the generator's).
    pub const fn names<const N: usize>(first: usize) -> [&'static str; N] {
        let mut out = [""; N];
        let mut i = 0;
        while i < N {
            out[i] = Col::ALL[first + i].name();
            i += 1;
        }
        out
    }

    pub const ALL: [Col; Col::COUNT] = [
        Col::Elb,
        Col::Bg,
        Col::Int,
        Col::Lzb,
        Col::IntLzb,
        Col::LluEur,
        Col::KduEur,
        Col::IntSvb,
        Col::IntNachhaltig,
        Col::IntBedarfsdeckend,
        Col::Lzb4j,
        Col::ElbAsyl8,
        Col::IntAsyl8,
        Col::LzbAsyl8,
        Col::ElbFrauen,
        Col::ElbMaenner,
        Col::IntFrauen,
        Col::IntMaenner,
        Col::LzbFrauen,
        Col::LzbMaenner,
        Col::IntLzbFrauen,
        Col::IntLzbMaenner,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Col::Elb => "elb",
            Col::Bg => "bg",
            Col::Int => "int",
            Col::Lzb => "lzb",
            Col::IntLzb => "int_lzb",
            Col::LluEur => "llu_eur",
            Col::KduEur => "kdu_eur",
            Col::IntSvb => "int_svb",
            Col::IntNachhaltig => "int_nachhaltig",
            Col::IntBedarfsdeckend => "int_bedarfsdeckend",
            Col::Lzb4j => "lzb_4j",
            Col::ElbAsyl8 => "elb_asyl8",
            Col::IntAsyl8 => "int_asyl8",
            Col::LzbAsyl8 => "lzb_asyl8",
            Col::ElbFrauen => "elb_frauen",
            Col::ElbMaenner => "elb_maenner",
            Col::IntFrauen => "int_frauen",
            Col::IntMaenner => "int_maenner",
            Col::LzbFrauen => "lzb_frauen",
            Col::LzbMaenner => "lzb_maenner",
            Col::IntLzbFrauen => "int_lzb_frauen",
            Col::IntLzbMaenner => "int_lzb_maenner",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Col::LluEur | Col::KduEur => Kind::Money,
            _ => Kind::Count,
        }
    }

    /// The seven columns every delivery must have.
    pub fn required(self) -> bool {
        (self as usize) < 7
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The columns by sex, as (base, women, men).
pub const BY_SEX: [(Col, Col, Col); 4] = [
    (Col::Elb, Col::ElbFrauen, Col::ElbMaenner),
    (Col::Int, Col::IntFrauen, Col::IntMaenner),
    (Col::Lzb, Col::LzbFrauen, Col::LzbMaenner),
    (Col::IntLzb, Col::IntLzbFrauen, Col::IntLzbMaenner),
];

/// How `wert` and `vorjahr` of a figure are computed (contract section 2). The windows:
/// `M(Y,t)` is the Jahresfortschritt January..t; "base" the n months before each month
/// of it (Dec(Y−1)..(t−1)(Y)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    /// Σ col over M(Y,t) against M(Y−1,t).
    Sum(Col),
    /// 100 × Σ num over M(Y,t) / mean(den over the base months); same a year earlier.
    Quota { num: Col, den: Col },
    /// mean(col over M(Y,t)) against M(Y−1,t).
    Mean(Col),
    /// The stock col[t of Y] against col[Dec of Y−1].
    StockDec(Col),
    /// The stock col[t of Y] against col[t of Y−1].
    Stock(Col),
    /// 100 × Σ num / Σ den over M(Y − lag, t) against M(Y − lag − 1, t).
    Share { num: Col, den: Col, lag: i32 },
}

impl Formula {
    /// Every column the formula reads.
    pub fn columns(self) -> Vec<Col> {
        match self {
            Formula::Sum(c) | Formula::Mean(c) | Formula::StockDec(c) | Formula::Stock(c) => {
                vec![c]
            }
            Formula::Quota { num, den } | Formula::Share { num, den, .. } => vec![num, den],
        }
    }
}

/// The section of the agreement (§ 48b Abs. 3 SGB II) a figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[allow(clippy::upper_case_acronyms)] // Roman numerals, as the law and the reports number them
pub enum Section {
    /// I Verringerung der Hilfebedürftigkeit.
    I,
    /// II Verbesserung der Integration in Erwerbstätigkeit.
    II,
    /// III Vermeidung von langfristigem Leistungsbezug.
    III,
}

/// Monitoring figures the signed agreement names as Analysefelder of a section other than
/// their own ([`Def::section`]): Nachhaltigkeit, bedarfsdeckende Integrationen (II), K3E1
/// and Langzeitleistungsbezug ab vier Jahren (III) are assessed in II and III by the
/// reports, and listed under I by the agreement (`templates/vereinbarung.typ`), in
/// this order.
pub const ANALYSEFELDER: [(Kennzahl, Section); 4] = [
    (Kennzahl::Nachhaltigkeit, Section::I),
    (Kennzahl::Bedarfsdeckend, Section::I),
    (Kennzahl::K3e1, Section::I),
    (Kennzahl::Lzb4j, Section::I),
];

/// The figures of the contract, in the order of `kennzahlen.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kennzahl {
    Int,
    K2,
    K3,
    K3e1,
    LzbJe,
    Llu,
    Kdu,
    Elb,
    Bg,
    Nachhaltigkeit,
    Bedarfsdeckend,
    Lzb4j,
    IqAsyl8,
    LzbAsyl8,
    IntFrauen,
    IntMaenner,
    K2Frauen,
    K2Maenner,
    K3Frauen,
    K3Maenner,
    K3e1Frauen,
    K3e1Maenner,
}

/// One row of the table of Kennzahlen.
#[derive(Debug, Clone, Copy)]
pub struct Def {
    pub code: &'static str,
    pub formula: Formula,
    pub higher_is_better: bool,
    /// One of the five target indicators of contract 2.1 (always carries a status).
    pub standard_target: bool,
    /// One of the figures with a Zielpfad (contract 2.6) when it has a target.
    pub zielpfad: bool,
    pub section: Section,
}

const fn def(
    code: &'static str,
    formula: Formula,
    higher_is_better: bool,
    standard_target: bool,
    zielpfad: bool,
    section: Section,
) -> Def {
    Def {
        code,
        formula,
        higher_is_better,
        standard_target,
        zielpfad,
        section,
    }
}

impl Kennzahl {
    pub const ALL: [Kennzahl; 22] = [
        Kennzahl::Int,
        Kennzahl::K2,
        Kennzahl::K3,
        Kennzahl::K3e1,
        Kennzahl::LzbJe,
        Kennzahl::Llu,
        Kennzahl::Kdu,
        Kennzahl::Elb,
        Kennzahl::Bg,
        Kennzahl::Nachhaltigkeit,
        Kennzahl::Bedarfsdeckend,
        Kennzahl::Lzb4j,
        Kennzahl::IqAsyl8,
        Kennzahl::LzbAsyl8,
        Kennzahl::IntFrauen,
        Kennzahl::IntMaenner,
        Kennzahl::K2Frauen,
        Kennzahl::K2Maenner,
        Kennzahl::K3Frauen,
        Kennzahl::K3Maenner,
        Kennzahl::K3e1Frauen,
        Kennzahl::K3e1Maenner,
    ];

    /// The five target indicators of contract 2.1.
    pub const TARGETS: [Kennzahl; 5] = [
        Kennzahl::Int,
        Kennzahl::K2,
        Kennzahl::K3,
        Kennzahl::K3e1,
        Kennzahl::LzbJe,
    ];

    /// The table (contract 2.1, 2.2, 2.7).
    pub fn def(self) -> Def {
        use Formula::{Mean, Quota, Share, Stock, StockDec, Sum};
        use Section::{I, II, III};
        match self {
            Kennzahl::Int => def("int", Sum(Col::Int), true, true, true, II),
            Kennzahl::K2 => def(
                "k2",
                Quota {
                    num: Col::Int,
                    den: Col::Elb,
                },
                true,
                true,
                true,
                II,
            ),
            Kennzahl::K3 => def("k3", Mean(Col::Lzb), false, true, true, III),
            Kennzahl::K3e1 => def(
                "k3e1",
                Quota {
                    num: Col::IntLzb,
                    den: Col::Lzb,
                },
                true,
                true,
                true,
                III,
            ),
            Kennzahl::LzbJe => def("lzb_je", StockDec(Col::Lzb), false, true, true, III),
            Kennzahl::Llu => def("llu", Sum(Col::LluEur), false, false, false, I),
            Kennzahl::Kdu => def("kdu", Sum(Col::KduEur), false, false, false, I),
            Kennzahl::Elb => def("elb", Stock(Col::Elb), false, false, false, I),
            Kennzahl::Bg => def("bg", Stock(Col::Bg), false, false, false, I),
            Kennzahl::Nachhaltigkeit => def(
                "nachhaltigkeit",
                Share {
                    num: Col::IntNachhaltig,
                    den: Col::IntSvb,
                    lag: 1,
                },
                true,
                false,
                false,
                II,
            ),
            Kennzahl::Bedarfsdeckend => def(
                "bedarfsdeckend",
                Share {
                    num: Col::IntBedarfsdeckend,
                    den: Col::Int,
                    lag: 0,
                },
                true,
                false,
                false,
                II,
            ),
            Kennzahl::Lzb4j => def("lzb_4j", Stock(Col::Lzb4j), false, false, false, III),
            Kennzahl::IqAsyl8 => def(
                "iq_asyl8",
                Quota {
                    num: Col::IntAsyl8,
                    den: Col::ElbAsyl8,
                },
                true,
                false,
                false,
                II,
            ),
            Kennzahl::LzbAsyl8 => def("lzb_asyl8", Stock(Col::LzbAsyl8), false, false, false, III),
            Kennzahl::IntFrauen => def("int_frauen", Sum(Col::IntFrauen), true, false, true, II),
            Kennzahl::IntMaenner => def("int_maenner", Sum(Col::IntMaenner), true, false, true, II),
            Kennzahl::K2Frauen => def(
                "k2_frauen",
                Quota {
                    num: Col::IntFrauen,
                    den: Col::ElbFrauen,
                },
                true,
                false,
                true,
                II,
            ),
            Kennzahl::K2Maenner => def(
                "k2_maenner",
                Quota {
                    num: Col::IntMaenner,
                    den: Col::ElbMaenner,
                },
                true,
                false,
                true,
                II,
            ),
            Kennzahl::K3Frauen => def("k3_frauen", Mean(Col::LzbFrauen), false, false, true, III),
            Kennzahl::K3Maenner => {
                def("k3_maenner", Mean(Col::LzbMaenner), false, false, true, III)
            }
            Kennzahl::K3e1Frauen => def(
                "k3e1_frauen",
                Quota {
                    num: Col::IntLzbFrauen,
                    den: Col::LzbFrauen,
                },
                true,
                false,
                true,
                III,
            ),
            Kennzahl::K3e1Maenner => def(
                "k3e1_maenner",
                Quota {
                    num: Col::IntLzbMaenner,
                    den: Col::LzbMaenner,
                },
                true,
                false,
                true,
                III,
            ),
        }
    }

    pub fn code(self) -> &'static str {
        self.def().code
    }

    /// Any figure of the table by its code (case-insensitive), as `ziele.csv` names them.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        Self::ALL.into_iter().find(|k| k.code() == text)
    }

    /// One of the five standard target indicators.
    pub fn is_target(self) -> bool {
        self.def().standard_target
    }

    pub fn higher_is_better(self) -> bool {
        self.def().higher_is_better
    }

    pub fn formula(self) -> Formula {
        self.def().formula
    }

    /// The optional columns the figure needs; it is left out when one is absent.
    pub fn optional_columns(self) -> Vec<Col> {
        self.formula()
            .columns()
            .into_iter()
            .filter(|c| !c.required())
            .collect()
    }

    /// For a figure by sex: the total figure and whether it is the women's one.
    pub fn by_sex(self) -> Option<(Kennzahl, bool)> {
        match self {
            Kennzahl::IntFrauen => Some((Kennzahl::Int, true)),
            Kennzahl::IntMaenner => Some((Kennzahl::Int, false)),
            Kennzahl::K2Frauen => Some((Kennzahl::K2, true)),
            Kennzahl::K2Maenner => Some((Kennzahl::K2, false)),
            Kennzahl::K3Frauen => Some((Kennzahl::K3, true)),
            Kennzahl::K3Maenner => Some((Kennzahl::K3, false)),
            Kennzahl::K3e1Frauen => Some((Kennzahl::K3e1, true)),
            Kennzahl::K3e1Maenner => Some((Kennzahl::K3e1, false)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The agreement names these figures as Analysefelder of another section than the
    /// one they are reported in; were they the same, the list would say nothing.
    #[test]
    fn analysefelder_lie_outside_their_own_section() {
        for (k, section) in ANALYSEFELDER {
            assert_ne!(k.def().section, section, "{k:?}");
        }
    }

    #[test]
    fn codes_are_unique_and_parse_back() {
        for k in Kennzahl::ALL {
            assert_eq!(Kennzahl::parse(&k.code().to_uppercase()), Some(k));
        }
        assert_eq!(Kennzahl::parse("k4"), None);
        for (i, c) in Col::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }
}
