//! The in-memory name index: each client's name, decrypted once, for showing and searching the
//! caseload without opening the vault per request.
//!
//! It is built at start from every record and follows the vault's changes by `volgnummer`
//! ([`crate::storage::Kluis::wijzigingen`]); a tombstone removes the client. A search
//! matches when every word of the query is the start of a word of the name, ignoring case and
//! diacritics ("jan de v" finds "Jan de Vries", "ozturk" finds "Öztürk").

use std::collections::HashMap;
use std::sync::RwLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use uuid::Uuid;

/// One client's name and its searchable words.
struct Regel {
    naam: String,
    woorden: Vec<String>,
}

#[derive(Default)]
struct Stand {
    tot: u64,
    namen: HashMap<Uuid, Regel>,
}

#[derive(Default)]
pub struct NaamIndex {
    stand: RwLock<Stand>,
}

/// A search, normalised once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zoekterm(Vec<String>);

impl Zoekterm {
    /// The words of `tekst`; `None` if it has none.
    pub fn new(tekst: &str) -> Option<Self> {
        let woorden = woorden(tekst);
        (!woorden.is_empty()).then_some(Self(woorden))
    }
}

/// A change to apply: the client, the change's `volgnummer`, and the name (`None`: erased).
pub struct Wijziging {
    pub client: Uuid,
    /// The change's place in the vault's order.
    pub volgnummer: u64,
    /// The name now, or `None` once erased.
    pub naam: Option<String>,
}

impl NaamIndex {
    /// The `volgnummer` up to which the index has applied the vault's changes.
    pub fn tot(&self) -> u64 {
        self.stand.read().expect("name index").tot
    }

    /// Applies changes in the vault's order; changes already applied are skipped.
    pub fn pas_toe(&self, wijzigingen: Vec<Wijziging>) {
        let mut stand = self.stand.write().expect("name index");
        for w in wijzigingen {
            if w.volgnummer <= stand.tot {
                continue;
            }
            stand.tot = w.volgnummer;
            match w.naam {
                Some(naam) => {
                    let woorden = woorden(&naam);
                    stand.namen.insert(w.client, Regel { naam, woorden });
                }
                None => {
                    stand.namen.remove(&w.client);
                }
            }
        }
    }

    /// The client's name, if the vault holds one.
    pub fn naam(&self, client: Uuid) -> Option<String> {
        let stand = self.stand.read().expect("name index");
        stand.namen.get(&client).map(|r| r.naam.clone())
    }

    /// A test that tells for a client whether their name matches `term`; it holds the index's
    /// read lock only while it runs for one client.
    pub fn past(&self, client: Uuid, term: &Zoekterm) -> bool {
        let stand = self.stand.read().expect("name index");
        stand.namen.get(&client).is_some_and(|r| {
            term.0
                .iter()
                .all(|z| r.woorden.iter().any(|w| w.starts_with(z.as_str())))
        })
    }

    /// How many names the index holds.
    pub fn len(&self) -> usize {
        self.stand.read().expect("name index").namen.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Lower case without diacritics, without invisible characters (a search pasted from a document
/// finds the name as stored, and a name spelt with a zero-width (non-)joiner is found without
/// it), split on everything that is not a letter or digit.
///
/// A letter with a diacritic can be written as one character or as the letter followed by a
/// combining mark (as some keyboards and systems write it, and a name may be stored so): both
/// are taken apart (compatibility decomposition, NFKD) and the marks dropped, so "vi\u{301}s"
/// and "vís" are the same word, and "İlker" is "ilker". Letters that do not come apart
/// (`ø`, `ł`, `ß`, ...) are folded by [`vouw`].
fn woorden(tekst: &str) -> Vec<String> {
    let mut gevouwen = String::with_capacity(tekst.len());
    let zonder_tekens = |c: &char| !traject_domain::value::genegeerd(*c) && !is_combining_mark(*c);
    let letters = tekst
        .nfkd()
        .filter(zonder_tekens)
        .flat_map(char::to_lowercase)
        .filter(zonder_tekens);
    for c in letters {
        match vouw(c) {
            Some(v) => gevouwen.push_str(v),
            None => gevouwen.push(c),
        }
    }
    gevouwen
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The letters of names written in the Netherlands that keep a stroke or are ligatures after
/// decomposition, as the letters a user types for them.
fn vouw(c: char) -> Option<&'static str> {
    Some(match c {
        'ı' => "i",
        'ø' => "o",
        'ł' => "l",
        'đ' => "d",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(namen: &[(Uuid, &str)]) -> NaamIndex {
        let index = NaamIndex::default();
        index.pas_toe(
            namen
                .iter()
                .enumerate()
                .map(|(i, (client, naam))| Wijziging {
                    client: *client,
                    volgnummer: i as u64 + 1,
                    naam: Some((*naam).to_owned()),
                })
                .collect(),
        );
        index
    }

    #[test]
    fn every_query_word_starts_a_word_of_the_name() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let index = index(&[(a, "Jan de Vries"), (b, "Ayşe Öztürk-Çelik")]);
        let zoek = |t: &str| Zoekterm::new(t).unwrap();
        assert!(index.past(a, &zoek("jan")));
        assert!(index.past(a, &zoek("de v")));
        assert!(index.past(a, &zoek("VRIES jan")));
        assert!(!index.past(a, &zoek("ries")), "not in the middle of a word");
        assert!(!index.past(a, &zoek("jan x")), "every word must match");
        assert!(index.past(b, &zoek("ozturk")));
        assert!(index.past(b, &zoek("ayse celik")));
        assert!(!index.past(Uuid::now_v7(), &zoek("jan")));
        assert_eq!(Zoekterm::new("  - "), None);
        // A search pasted from a document with invisible characters in it finds the name.
        assert!(index.past(a, &zoek("vr\u{00AD}ies j\u{200B}an")));
        let c = Uuid::now_v7();
        let index = self::index(&[(c, "Mehr\u{200C}dad Ja\u{200D}n")]);
        assert!(index.past(c, &zoek("mehrdad jan")));
        assert!(index.past(c, &zoek("Mehr\u{200C}dad")));
        assert_eq!(Zoekterm::new("\u{200B}\u{FEFF}"), None);
    }

    #[test]
    fn a_diacritic_as_a_mark_of_its_own_is_the_same_letter() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        // Stored with combining marks (as some systems write them), and as one character each.
        let index = index(&[
            (a, "Jose\u{301} Mu\u{308}ller"),
            (b, "Wouter Vísser"),
            (c, "İlker Şahin Ĳsselmeer Łukasz Søren Straße"),
        ]);
        let zoek = |t: &str| Zoekterm::new(t).unwrap();
        for t in ["muller", "müller", "Mu\u{308}ller", "jose", "josé"] {
            assert!(index.past(a, &zoek(t)), "{t}");
        }
        assert!(!index.past(a, &zoek("ller")), "not in the middle of a word");
        for t in ["vis", "vís", "vi\u{301}s", "Vi\u{301}sser wouter"] {
            assert!(index.past(b, &zoek(t)), "{t}");
        }
        // A mark is no word break: "v\u{301}os" is the word "vos", not "v" and "os".
        assert_eq!(zoek("v\u{301}os"), zoek("vos"));
        for t in [
            "ilker", "İlker", "sahin", "ijssel", "ĳssel", "lukasz", "soren", "strasse",
        ] {
            assert!(index.past(c, &zoek(t)), "{t}");
        }
        // A mark alone is no word.
        assert_eq!(Zoekterm::new("\u{301}\u{308}"), None);
    }

    #[test]
    fn changes_apply_in_order_once_and_erasure_removes() {
        let a = Uuid::now_v7();
        let index = index(&[(a, "Jan de Vries")]);
        index.pas_toe(vec![Wijziging {
            client: a,
            volgnummer: 1,
            naam: Some("oud".to_owned()),
        }]);
        assert_eq!(
            index.naam(a).as_deref(),
            Some("Jan de Vries"),
            "applied already"
        );
        index.pas_toe(vec![Wijziging {
            client: a,
            volgnummer: 2,
            naam: None,
        }]);
        assert_eq!(index.naam(a), None);
        assert!(!index.past(a, &Zoekterm::new("jan").unwrap()));
        assert_eq!((index.tot(), index.len()), (2, 0));
    }
}
