//! The German catalogue: every message of the program to the person running it, as a
//! ministry writes. Each entry is a key (the variant, listed in `docs/handbuch.md` with
//! what to do about it), its fields and its text; the code builds a [`Msg`] and prints it,
//! the wording stands only here. A test checks that the Handbuch names every key.

use std::fmt;

/// Defines [`Msg`] with one variant per key, its German text, and [`Msg::KEYS`].
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $key:ident $({ $($field:ident : $ty:ty),* $(,)? })? => $text:literal;
    )*) => {
        /// A message to the person running the program (see the module doc).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Msg {
            $( $(#[$doc])* $key $({ $($field: $ty),* })?, )*
        }

        impl Msg {
            /// Every key of the catalogue (the Handbuch test reads them).
            #[allow(dead_code)]
            pub const KEYS: &[&str] = &[$(stringify!($key)),*];

            /// The key of this message.
            #[allow(dead_code)]
            pub fn key(&self) -> &'static str {
                match self {
                    $( Self::$key { .. } => stringify!($key), )*
                }
            }
        }

        impl fmt::Display for Msg {
            #[allow(unused_variables)]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( Self::$key $({ $($field),* })? => write!(f, $text), )*
                }
            }
        }
    };
}

/// A count with the German thousands dot (`12.345`).
struct Count(usize);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::error::thousands(self.0 as u64))
    }
}

/// `1 Bericht` / `3 Berichte`: a count with the singular or plural of its noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Many(pub usize, pub &'static str, pub &'static str);

impl fmt::Display for Many {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self(n, one, more) = *self;
        write!(f, "{} {}", Count(n), if n == 1 { one } else { more })
    }
}

catalogue! {
    // ---- Every command -------------------------------------------------------------
    /// The prefix of an error line.
    ErrorLine { text: String } => "Fehler: {text}";
    /// The prefix of a warning line.
    WarningLine { text: String } => "Warnung: {text}";
    /// After an input error or a refusal: the output is as it was.
    NothingWritten => "Es wurde nichts geschrieben.";
    /// Input errors, counted, one per line below.
    InputErrors { count: usize, lines: String } => "{count} Eingabefehler:\n{lines}";
    /// A program error (a panic): exit status 3.
    InternalError { what: String } =>
        "interner Fehler des Programms: {what}. Bitte mit der verwendeten Befehlszeile melden (Exit-Status 3).";
    /// Where in the program a panic happened (printed before `InternalError`).
    PanicAt { place: String } => "Programmfehler an der Stelle {place} des Quelltexts";
    /// Under --quiet: the warnings not shown.
    SilencedWarnings { count: usize } => "({count} Warnung(en) nicht angezeigt; ohne --quiet sichtbar)";
    /// Writing a file or folder failed.
    WriteFailed { path: String, why: String } => "{path} kann nicht geschrieben werden: {why}";

    // ---- Input files ----------------------------------------------------------------
    /// A cell (or value) that is not what its column takes.
    Expected { what: String, found: String } => "erwartet wird {what}, gefunden wurde \"{found}\"";
    /// An empty cell where a value is needed.
    ExpectedEmptyCell { what: String } => "erwartet wird {what}, gefunden wurde eine leere Zelle";
    /// A text with a character that cannot be printed or mailed.
    Unprintable { what: String, code: String } =>
        "erwartet wird druckbarer Text, gefunden wurde {what} ({code})";

    // ---- The command line --------------------------------------------------------------
    /// An unusable command line (the reason follows), with the pointer to --help.
    Usage { text: String } => "{text}\nHilfe: zielbericht --help (oder zielbericht BEFEHL --help)";
    /// A value an option does not take.
    UsageInvalidValue { arg: String, value: String, why: String } =>
        "ungültiger Wert \"{value}\" für {arg}: {why}";
    /// The values an option takes.
    UsageValidValues { valid: String } => "möglich sind {valid}";
    /// An option the command does not know.
    UsageUnknownArgument { arg: String } => "unbekannte Option {arg} (Tippfehler? Die Optionen nennt --help)";
    /// An option the command does not know, and the one probably meant.
    UsageUnknownArgumentMeant { arg: String, meant: String } =>
        "unbekannte Option {arg}; gemeint ist vermutlich {meant}";
    /// A command the program does not know.
    UsageUnknownCommand { command: String } =>
        "unbekannter Befehl \"{command}\"; Befehle: run, check, archive, verify, invite, vereinbarung, vorlage, diff, generate, completions, manpage";
    /// A required option is missing.
    UsageMissing { args: String } => "es fehlt die Angabe {args}";
    /// No command given.
    UsageNoCommand => "kein Befehl angegeben, z. B. zielbericht run";
    /// Two options that exclude each other.
    UsageConflict { arg: String, other: String } => "{arg} und {other} schließen einander aus";
    /// An option given in a wrong way (twice, without its value, …).
    UsageWrongUse { arg: String } => "{arg} ist so nicht verwendbar (doppelt angegeben oder ohne Wert?)";

    // ---- The settings file ---------------------------------------------------------
    /// --settings names a file that does not exist.
    SettingsMissing =>
        "die Einstellungsdatei gibt es nicht (genannt mit --settings oder ZIELBERICHT_SETTINGS)";
    /// The settings file cannot be read.
    SettingsUnreadable { why: String } => "die Einstellungsdatei kann nicht gelesen werden: {why}";
    /// The settings file is not UTF-8 text.
    SettingsNotUtf8 => "die Einstellungsdatei ist kein UTF-8-Text; bitte als UTF-8 speichern";
    /// A key of the settings file holds a value of the wrong kind.
    SettingsBadValue { key: String, expected: String } => "\"{key}\": erwartet wird {expected}";
    /// A key the settings file does not know.
    SettingsUnknownKey { key: String, allowed: String } =>
        "unbekannter Schlüssel \"{key}\"; erlaubt sind {allowed}";
    /// A value of the wrong kind (the reader's words after the German).
    SettingsWrongKind { detail: String } => "Wert der falschen Art ({detail})";
    /// A syntax error of TOML (the reader's words after the German).
    SettingsSyntax { detail: String } => "die Datei ist kein gültiges TOML: {detail}";
    /// `check`: the settings file in use.
    SettingsUsed { file: String } => "Einstellungen aus {file}";
    /// `check`: no settings file.
    SettingsNone => "Einstellungen: keine Datei (zielbericht.toml im Arbeitsordner gibt es nicht)";

    // ---- run, archive, invite: progress and summary -------------------------------
    /// One document done (progress without a terminal).
    ProgressDone { n: usize, total: usize, file: String } => "[{n}/{total}] {file}";
    /// One document taken over unchanged from the previous run.
    ProgressReused { n: usize, total: usize, file: String } => "[{n}/{total}] {file} (übernommen)";
    /// One document that failed.
    ProgressFailed { n: usize, total: usize, file: String } => "[{n}/{total}] {file} FEHLGESCHLAGEN";
    /// The closing line of a run.
    Written { what: String, folder: String, seconds: String, reused: String } =>
        "{what} geschrieben nach {folder} in {seconds} s{reused}";
    /// The files of a run without PDFs.
    WrittenFiguresOnly => "kennzahlen.csv, kennzahlen.xlsx und manifest.json";
    /// The files of a run with reports and the overview.
    WrittenWithOverview { reports: Many } =>
        "{reports}, uebersicht.pdf, kennzahlen.csv, kennzahlen.xlsx und manifest.json";
    /// The files of a run with reports, without the overview.
    WrittenReports { reports: Many } => "{reports}, kennzahlen.csv, kennzahlen.xlsx und manifest.json";
    /// Part of the closing line: documents taken over.
    WrittenReused { documents: Many } =>
        "; {documents} aus dem vorigen Lauf übernommen (Eingaben unverändert)";
    /// Documents that failed (each named below).
    DocumentsFailed { documents: Many } => "{documents} fehlgeschlagen und nicht geschrieben:";
    /// A run compared with the previous run of the same month.
    ComparedWithPrevious { month: String, summary: String } =>
        "Vergleich mit dem vorigen Lauf für {month}: {summary}";

    // ---- verify --------------------------------------------------------------------
    /// `verify DIR`: DIR is no folder.
    VerifyNotAFolder { dir: String } => "verify: {dir} ist kein Ordner";
    /// `verify DIR`: no manifest.json below DIR.
    VerifyNoManifest { dir: String } =>
        "verify: in {dir} und seinen Unterordnern gibt es keine manifest.json";
    /// A folder whose files all match its manifest.
    VerifyOk { folder: String } => "in Ordnung  {folder}";
    /// A folder with deviations (listed above it).
    VerifyFailed { folder: String, problems: Many } => "FEHLER      {folder} ({problems})";
    /// A file of the user in a run folder: kept by reruns, no failure.
    VerifyKept { file: String } =>
        "behalten   {file} (nicht vom Programm geschrieben; bleibt bei jedem neuen Lauf erhalten)";
    /// A file of the manifest that is gone.
    VerifyMissing { file: String } => "fehlt      {file}";
    /// A file whose content differs from the manifest.
    VerifyChanged { file: String } => "geändert   {file} (SHA-256 weicht vom Manifest ab)";
    /// A file of the manifest that is now a folder or a special file.
    VerifyChangedKind { file: String } => "geändert   {file} (keine gewöhnliche Datei mehr)";
    /// A file in an archive edition that its manifest does not list.
    VerifyUnexpected { file: String } => "unerwartet {file} (nicht im Manifest der Ausgabe)";
    /// A symbolic link in a checked folder.
    VerifySymlink { file: String } => "Verknüpfung {file} (symbolische Verknüpfung; nicht verfolgt)";
    /// A FIFO, device or socket in a checked folder.
    VerifySpecial { file: String } => "unerwartet {file} (keine gewöhnliche Datei)";
    /// A file or folder that cannot be read.
    VerifyUnreadable { file: String, why: String } => "unlesbar   {file}: {why}";
    /// manifest.json is a symbolic link.
    VerifyIsSymlink => "eine symbolische Verknüpfung (nicht verfolgt)";
    /// manifest.json is not a regular file.
    VerifyNotRegular => "keine gewöhnliche Datei";
    /// A manifest path that leaves its folder.
    VerifyPathLeaves { file: String, path: String } =>
        "abgelehnt  {file}: der Pfad \"{path}\" führt aus dem Ordner hinaus (absolut oder mit ..)";
    /// The register or its journal cannot be read.
    VerifyDamaged { why: String } => "beschädigt {why}";
    /// A folder in the archive that the register does not list.
    VerifyUnregistered { file: String } => "nicht registriert {file} (nicht in register.txt)";
    /// An edition's manifest that differs from the register's record.
    VerifyManifestChanged { file: String } => "geändert   {file} (SHA-256 weicht von register.txt ab)";
    /// An edition in the register that is gone.
    VerifyEditionMissing { folder: String } => "fehlt      {folder} (eine Ausgabe aus register.txt)";
    /// What a repair of the register noted.
    VerifyRepairNote { note: String } => "Hinweis: {note}";
    /// The register and every checked edition match.
    VerifyRegisterOk { file: String, editions: Many, chain: String } =>
        "in Ordnung  {file} ({editions} geprüft; letzter Kettenwert {chain})";

    /// register.txt is missing.
    RegisterMissing { file: String } =>
        "fehlt      {file} (das Register der Ausgaben; `zielbericht archive --repair-register` baut es neu auf, nachdem jede Ausgabe geprüft ist)";
    /// A line of register.txt without its three fields.
    RegisterLineMalformed { at: String } =>
        "beschädigt {at}: erwartet werden Ausgabe, SHA-256 des Manifests und Kettenwert, durch Tabulatoren getrennt";
    /// The chain of register.txt breaks.
    RegisterChainBroken { at: String, edition: String } =>
        "beschädigt {at}: die Kette bricht bei {edition} (ein Eintrag davor wurde entfernt, umgestellt oder verändert, oder dieser)";

    // ---- vereinbarung ---------------------------------------------------------------
    /// No bericht.toml for the agreements.
    AgreementNoConfig { file: String } =>
        "{file}: nicht gefunden; Name, Unterzeichner und Ort des Ministeriums bleiben zum Ausfüllen frei (in dieser Datei oder mit --config angeben)";
    /// No targets for the year.
    AgreementNoTargets { file: String, year: i32 } =>
        "{file}: keine Ziele für {year}; jede Vereinbarung sagt, dass ihre Ziele noch zu vereinbaren sind";
    /// --jobcenter names a gemeinsame Einrichtung.
    AgreementJobcenterIsGe { id: String } =>
        "--jobcenter: {id} ist eine gemeinsame Einrichtung (traeger gE); Vereinbarungen nach § 48b Abs. 1 S. 1 Nr. 4 SGB II werden nur mit zugelassenen kommunalen Trägern geschlossen";
    /// gemeinsame Einrichtungen left out.
    AgreementGeSkipped { count: usize } =>
        "Hinweis: {count} gemeinsame Einrichtung(en) (traeger gE) übergangen: Vereinbarungen nach § 48b Abs. 1 S. 1 Nr. 4 SGB II werden mit zugelassenen kommunalen Trägern geschlossen";
    /// bericht.toml names a Träger that jobcenter.csv does not have.
    AgreementUnknownTraeger { key: String } =>
        "bericht.toml [vereinbarung.traeger.\"{key}\"]: kein Jobcenter in jobcenter.csv hat diesen Kreisschlüssel; seine Angaben werden nicht verwendet";
    /// The files of `vereinbarung`.
    WrittenAgreements { agreements: Many } => "{agreements} und manifest.json";

    // ---- diff and reruns ------------------------------------------------------------
    /// What changed between two deliveries (diff, a rerun, a superseding edition).
    ComparisonSummary { figures: usize, entities: usize, statuses: usize } =>
        "{figures} Kennzahlwert(e) bei {entities} Jobcenter(n) und Summen geändert, {statuses} Zielstatus gewechselt";
    /// Files of the user that a rewrite of a folder kept.
    KeptUserFiles { count: usize, folder: String, files: String } =>
        "Hinweis: {count} Datei(en) in {folder} stammen nicht von zielbericht und bleiben erhalten:\n  {files}";

    /// A file of the program that the user edited: kept under another name.
    KeptEdited { file: String, folder: String, kept: String } =>
        "Hinweis: {file} in {folder} wurde nach dem letzten Lauf bearbeitet (die SHA-256 ist nicht mehr die des Manifests); die bearbeitete Fassung bleibt als „{kept}“ erhalten, {file} ist neu geschrieben.";
    /// PDFs changed since the last run: rendered again.
    RenderedAnew { folder: String, count: usize, files: String } =>
        "Hinweis: in {folder} waren {count} Dokument(e) seit dem letzten Lauf verändert oder beschädigt (die Länge ist nicht mehr die des Manifests); sie sind neu gesetzt:\n  {files}";
    /// Leftovers of killed runs removed.
    DebrisCleared { folder: String, list: String } =>
        "Aufgeräumt: in {folder} lagen Zwischenordner abgebrochener zielbericht-Läufe (Ordner und Anzahl: {list}); Dateien, die zielbericht nicht geschrieben hat, sind zurückgelegt, die Zwischenordner entfernt.";
    /// The staging folder of a run vanished during the run.
    StagingVanished { folder: String, why: String } =>
        "der Zwischenordner {folder} ist während des Laufs verschwunden, wurde verschoben oder verändert ({why}); nichts wurde veröffentlicht. Wurde der Ausgabeordner oder ein Ordner darüber verschoben oder gelöscht? Starten Sie den Befehl erneut";
    /// A document over its time limit.
    DocumentTimeout { seconds: u64 } =>
        "abgebrochen nach {seconds} s: das Setzen dauerte länger als das Zeitlimit je Dokument (--document-timeout, ZIELBERICHT_DOCUMENT_TIMEOUT); endet die Vorlage nicht?";
    /// Ctrl-C or SIGTERM before anything was published.
    Interrupted { signal: String, cleaned: String } => "Abgebrochen ({signal}): nichts veröffentlicht.{cleaned}";
    /// Ctrl-C or SIGTERM after a folder was published.
    InterruptedAfter { signal: String, published: String, cleaned: String } =>
        "Abgebrochen ({signal}): {published} war schon vollständig geschrieben; sonst nichts veröffentlicht.{cleaned}";
    /// Part of the interruption line: staging folders removed.
    InterruptCleaned { count: usize } => "{count} angefangene(r) Zwischenordner entfernt.";

    // ---- invite -----------------------------------------------------------------------
    /// --smtp without --send.
    SmtpWithoutSend => "Hinweis: --smtp ohne --send: es werden nur die Entwürfe geschrieben";

    /// One draft written.
    InviteDraft { who: String, file: String, bytes: String, to: String, date: String } =>
        "{who}: {file} ({bytes} Bytes) an {to}, Termin {date}";
    /// The closing line of `invite`.
    InvitationsWritten { invitations: Many, folder: String, bytes: String, sent: String } =>
        "{invitations} geschrieben nach {folder} ({bytes} Bytes insgesamt){sent}";
    /// Part of the closing line: messages sent.
    InvitationsSent { count: usize } => "; {count} versendet";
    /// Jobcenters without a usable address (listed below).
    InviteNoEmail { count: usize } =>
        "übergangen, keine brauchbare E-Mail-Adresse in jobcenter.csv ({count}):";
    /// Jobcenters without a row in the Termine.
    InviteNoTermin { file: String, count: usize, list: String } =>
        "übergangen, keine Zeile in {file} ({count}): {list}";
    /// Messages whose delivery is uncertain (listed below).
    InviteUncertainList { count: usize } =>
        "nicht versendet, Zustellung ungewiss ({count}): Zustellung ungewiss – bitte im Postausgang prüfen; --resend sendet sie erneut:";
    /// Messages that failed.
    InviteFailedList { count: usize, list: String } => "fehlgeschlagen ({count}): {list}";
    /// No connection to the SMTP server.
    InviteNoConnection { who: String, server: String } => "{who}: nicht versendet (keine Verbindung zu {server})";
    /// Already sent according to the send log.
    InviteAlreadySent { when: String, to: String, changed: String } =>
        "  nicht erneut versendet: versendet am {when} an {to}{changed} (--resend sendet sie erneut)";
    /// An earlier attempt with unknown outcome.
    InviteAlreadyUncertain { when: String, to: String } =>
        "  nicht erneut versendet: Zustellung ungewiss – bitte im Postausgang prüfen (ein Versuch am {when} an {to} hat keinen bekannten Ausgang; --resend sendet sie erneut)";
    /// One line of the uncertain list: an earlier attempt.
    InviteAttempt { who: String, when: String, to: String } => "{who}: Versuch am {when} an {to}";
    /// Sending one message failed.
    InviteSendFailed { who: String, why: String } => "{who}: Versand fehlgeschlagen: {why}";
    /// One message sent.
    InviteSent { server: String, bytes: String } => "  versendet über {server} ({bytes} Bytes)";
    /// The content went out, no answer came.
    InviteUncertain { who: String, why: String } =>
        "{who}: Zustellung ungewiss – bitte im Postausgang prüfen: {why}";
    /// One line of the uncertain list: no answer.
    InviteNoAnswer { who: String, why: String } => "{who}: keine Antwort nach der Nachricht ({why})";
    /// The SMTP server cannot be used.
    InviteServerUnusable { why: String } =>
        "{why}; die Entwürfe sind geschrieben, versendet wird nichts";
    /// A report to attach cannot be read.
    InviteReportUnreadable { who: String, file: String, why: String } =>
        "{who}: nicht eingeladen: der Bericht {file} kann nicht gelesen werden: {why}";
    /// A Jobcenter not invited (why).
    InviteNotInvited { who: String, why: String } => "{who}: nicht eingeladen: {why}";
    /// invite renders the month first.
    InviteRendersFirst { folder: String, lacks: String, month: String } =>
        "in {folder} fehlen {lacks}; die Berichte für {month} werden zuerst erzeugt";

    // ---- check ---------------------------------------------------------------------
    /// What `check` found in a data folder.
    CheckSummary {
        folder: String,
        jobcenters: Many,
        monthly: Many,
        targets: Many,
        warnings: Many,
        latest: String,
    } =>
        "{folder}: {jobcenters}, {monthly}, {targets}, {warnings}; letzter vollständiger Monat: {latest}";
    /// `check`: no month is complete for every Jobcenter.
    CheckNoCompleteMonth => "keiner";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_take_their_fields() {
        let m = Msg::CheckSummary {
            folder: "daten".into(),
            jobcenters: Many(18, "Jobcenter", "Jobcenter"),
            monthly: Many(1, "Monatszeile", "Monatszeilen"),
            targets: Many(1234, "Zielzeile", "Zielzeilen"),
            warnings: Many(0, "Warnung", "Warnungen"),
            latest: "2018-12".into(),
        };
        assert_eq!(
            m.to_string(),
            "daten: 18 Jobcenter, 1 Monatszeile, 1.234 Zielzeilen, 0 Warnungen; \
             letzter vollständiger Monat: 2018-12"
        );
        assert_eq!(m.key(), "CheckSummary");
        assert!(Msg::KEYS.contains(&"NothingWritten"));
        let keys: std::collections::BTreeSet<_> = Msg::KEYS.iter().collect();
        assert_eq!(keys.len(), Msg::KEYS.len(), "keys are unique");
    }

    /// The Handbuch's table of messages names every key of the catalogue (as `` `Key` ``
    /// in a row of its own), so that no message reaches a user unexplained; and it names
    /// no key that no longer exists.
    #[test]
    fn the_handbuch_explains_every_message() {
        let handbuch = include_str!("../../docs/handbuch.md");
        let (_, table) = handbuch
            .split_once("### Alle Meldungen nach Schlüssel")
            .expect("the Handbuch has the table of messages");
        let missing: Vec<&str> = Msg::KEYS
            .iter()
            .copied()
            .filter(|key| !table.contains(&format!("| `{key}` |")))
            .collect();
        assert!(missing.is_empty(), "not in docs/handbuch.md: {missing:?}");
        let listed = table
            .lines()
            .filter_map(|l| l.strip_prefix("| `")?.split_once('`').map(|(k, _)| k))
            .filter(|k| !Msg::KEYS.contains(k))
            .collect::<Vec<_>>();
        assert!(listed.is_empty(), "keys that no longer exist: {listed:?}");
    }
}
