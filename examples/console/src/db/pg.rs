//! PostgreSQL through the synchronous `postgres` client. Placeholders become `$N`; values are
//! bound by their own type (every integer column is BIGINT, so an `i64` always fits).

use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use super::{Conn, Connect, Dialect, Row, Value, to_dollar};
use crate::error::{ConsoleError, Result};

struct Pg(postgres::Client);

pub(super) fn connector(url: &str) -> Result<(Box<Connect>, String)> {
    let config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
        ConsoleError::invalid("console.bad_database_url", e.to_string())
    })?;
    let label = format!(
        "PostgreSQL {}:{} database {}",
        config
            .get_hosts()
            .first()
            .map(|h| match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .unwrap_or_default(),
        config.get_ports().first().copied().unwrap_or(5432),
        config.get_dbname().unwrap_or("")
    );
    // Connect once now, so a bad URL fails at start.
    drop(config.connect(postgres::NoTls)?);
    Ok((
        Box::new(move || Ok(Box::new(Pg(config.connect(postgres::NoTls)?)) as Box<dyn Conn>)),
        label,
    ))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => v.to_sql(ty, out),
            Value::Real(v) => v.to_sql(ty, out),
            Value::Text(v) => v.to_sql(ty, out),
            Value::Blob(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Conn for Pg {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        Ok(self.0.execute(to_dollar(sql).as_str(), &refs(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let rows = self.0.query(to_dollar(sql).as_str(), &refs(params))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let ty = column.type_();
                let v = if *ty == Type::INT8 {
                    row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
                } else if *ty == Type::INT4 {
                    row.try_get::<_, Option<i32>>(i)?
                        .map(|v| Value::Int(i64::from(v)))
                } else if *ty == Type::INT2 {
                    row.try_get::<_, Option<i16>>(i)?
                        .map(|v| Value::Int(i64::from(v)))
                } else if *ty == Type::FLOAT8 {
                    row.try_get::<_, Option<f64>>(i)?.map(Value::Real)
                } else if *ty == Type::BOOL {
                    row.try_get::<_, Option<bool>>(i)?
                        .map(|v| Value::Int(i64::from(v)))
                } else if *ty == Type::BYTEA {
                    row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob)
                } else {
                    // Text, and anything without a Rust type here (`void`) as NULL.
                    row.try_get::<_, Option<String>>(i)
                        .ok()
                        .flatten()
                        .map(Value::Text)
                };
                values.push(v.unwrap_or(Value::Null));
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.0.batch_execute(sql)?)
    }

    fn healthy(&self) -> bool {
        !self.0.is_closed()
    }
}
