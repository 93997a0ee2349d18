//! One small SQL layer over SQLite and PostgreSQL: the statements are written once, with `?1`,
//! `?2`... placeholders (turned into `$1`, `$2`... for PostgreSQL), values of five kinds, rows read
//! by position. Every integer column is 64-bit (`BIGINT`), times are Unix milliseconds, so both
//! databases read and write the same values. Only the schema (`migrate.rs`) differs per database.

mod migrate;
#[cfg(feature = "postgres")]
mod pg;
mod sqlite;

use std::sync::{Arc, Mutex};

use crate::error::{ConsoleError, Result};

pub use migrate::{MIGRATIONS, migrate};

/// Which database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite, one file, WAL.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A value bound to a statement or read from a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Int(i64),
    /// A double.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Self::Int(i64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Self::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Self::Blob(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

/// One row, read by column position.
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value> {
        self.0
            .get(i)
            .ok_or_else(|| ConsoleError::Db(format!("no column {i}")))
    }

    /// An integer column.
    pub fn int(&self, i: usize) -> Result<i64> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            other => Err(ConsoleError::Db(format!(
                "column {i}: integer expected, got {}",
                kind(other)
            ))),
        }
    }

    /// An integer column that may be NULL.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    /// A text column.
    pub fn text(&self, i: usize) -> Result<String> {
        match self.at(i)? {
            Value::Text(v) => Ok(v.clone()),
            other => Err(ConsoleError::Db(format!(
                "column {i}: text expected, got {}",
                kind(other)
            ))),
        }
    }

    /// A text column that may be NULL.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }

    /// A bytes column.
    pub fn blob(&self, i: usize) -> Result<Vec<u8>> {
        match self.at(i)? {
            Value::Blob(v) => Ok(v.clone()),
            other => Err(ConsoleError::Db(format!(
                "column {i}: bytes expected, got {}",
                kind(other)
            ))),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Int(_) => "integer",
        Value::Real(_) => "real",
        Value::Text(_) => "text",
        Value::Blob(_) => "bytes",
    }
}

/// A connection to either database.
pub trait Conn: Send {
    /// Which database.
    fn dialect(&self) -> Dialect;
    /// Runs one statement; the rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs one query; its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Runs statements separated by `;`, without parameters.
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// False once the connection is unusable (then the pool drops it).
    fn healthy(&self) -> bool {
        true
    }
}

impl dyn Conn + '_ {
    /// The first row, if any.
    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs `f` in a transaction: committed when it returns `Ok`, rolled back otherwise. SQLite
    /// takes the write lock at the start (`BEGIN IMMEDIATE`), so two writers never deadlock on
    /// an upgrade.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let begin = match self.dialect() {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        };
        self.batch(begin)?;
        match f(self) {
            Ok(v) => {
                self.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

type Connect = dyn Fn() -> Result<Box<dyn Conn>> + Send + Sync;

/// Connections kept open and handed out one per task; at most `size` open at once.
#[derive(Clone)]
pub struct Pool {
    inner: Arc<PoolInner>,
}

struct PoolInner {
    connect: Box<Connect>,
    idle: Mutex<Vec<Box<dyn Conn>>>,
    dialect: Dialect,
    /// Where it points, without credentials (for the banner).
    pub(crate) label: String,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("dialect", &self.inner.dialect)
            .field("label", &self.inner.label)
            .finish()
    }
}

impl Pool {
    /// Opens a pool on `url`: `postgres://...` / `postgresql://...` for PostgreSQL, anything else
    /// a SQLite file path (`sqlite:` prefix allowed).
    pub fn open(url: &str) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            {
                let (connect, label) = pg::connector(url)?;
                return Ok(Self::with(connect, Dialect::Postgres, label));
            }
            #[cfg(not(feature = "postgres"))]
            return Err(ConsoleError::invalid(
                "console.no_postgres",
                "this build has no PostgreSQL support (feature `postgres`)",
            ));
        }
        let path = url.strip_prefix("sqlite:").unwrap_or(url).to_owned();
        let label = format!("SQLite {path}");
        let connect = sqlite::connector(path)?;
        Ok(Self::with(connect, Dialect::Sqlite, label))
    }

    fn with(connect: Box<Connect>, dialect: Dialect, label: String) -> Self {
        Self {
            inner: Arc::new(PoolInner {
                connect,
                idle: Mutex::new(Vec::new()),
                dialect,
                label,
            }),
        }
    }

    /// Which database.
    pub fn dialect(&self) -> Dialect {
        self.inner.dialect
    }

    /// Where it points, without credentials.
    pub fn label(&self) -> &str {
        &self.inner.label
    }

    /// A connection, returned to the pool when dropped.
    pub fn get(&self) -> Result<Pooled> {
        let idle = self
            .inner
            .idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop();
        let conn = match idle {
            Some(c) => c,
            None => (self.inner.connect)()?,
        };
        Ok(Pooled {
            conn: Some(conn),
            pool: self.inner.clone(),
        })
    }
}

/// A pooled connection.
pub struct Pooled {
    conn: Option<Box<dyn Conn>>,
    pool: Arc<PoolInner>,
}

impl Pooled {
    /// The connection.
    pub fn conn(&mut self) -> &mut dyn Conn {
        // Present until drop.
        match self.conn.as_mut() {
            Some(c) => c.as_mut(),
            None => unreachable_conn(),
        }
    }
}

#[allow(clippy::panic)]
fn unreachable_conn() -> ! {
    // `conn` is taken only in `drop`.
    unreachable!("pooled connection used after drop")
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take()
            && c.healthy()
        {
            let mut idle = self.pool.idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < 16 {
                idle.push(c);
            }
        }
    }
}

/// `?N` placeholders to PostgreSQL's `$N` (outside quoted text).
pub fn to_dollar(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '?' && !quoted {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            to_dollar("SELECT a FROM t WHERE b = ?1 AND c = '?' AND d = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2"
        );
    }
}
