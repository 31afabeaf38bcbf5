//! Objects whose fields are resolved one after another in a single future.
//!
//! The engine resolves every field of every object as a boxed future of its own and runs them
//! through a `FuturesUnordered`, so that fields which wait (on a database, say) wait together.
//! The rows of a caseload wait on nothing: all their fields are plain values, and for them that
//! machinery (a heap allocation, a task and a waker per field) is most of the work.
//! [`Rechtstreeks`] resolves such an object's fields in order, in the future of the object
//! itself, with the engine's own field resolvers: the same values, the same response keys, the
//! same handling of fragments, `__typename` and field errors. With custom directives configured
//! it leaves the object to the engine. The engine's extensions are not called for these fields
//! (the engine gives no way to see whether any are configured); the schema has none, and one
//! that observes fields (tracing, say) would have to drop this wrapper.

use std::borrow::Cow;

use async_graphql::indexmap::IndexMap;
use async_graphql::indexmap::map::Entry;
use async_graphql::parser::types::{Field, Selection};
use async_graphql::registry::Registry;
use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult,
    Value,
};

/// An object of type `T` whose fields are resolved one after another in one future. The schema
/// sees `T` itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Rechtstreeks<T>(pub T);

impl<T: ContainerType + OutputType> OutputType for Rechtstreeks<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if !ctx.schema_env.custom_directives.is_empty() {
            return self.0.resolve(ctx, field).await;
        }
        let mut velden = Vec::new();
        self.verzamel(ctx, &mut velden)?;
        let mut uit = IndexMap::with_capacity(velden.len());
        for veld in velden {
            let ctx_veld = ctx.with_field(veld);
            let sleutel = veld.node.response_key().node.clone();
            let waarde = if veld.node.name.node == "__typename" {
                Value::String(self.0.introspection_type_name().into_owned())
            } else {
                match self.0.resolve_field(&ctx_veld).await {
                    Ok(waarde) => waarde.unwrap_or_default(),
                    Err(fout) => {
                        ctx.add_error(fout);
                        continue;
                    }
                }
            };
            voeg_in(&mut uit, sleutel, waarde);
        }
        Ok(if uit.is_empty() {
            Value::Null
        } else {
            Value::Object(uit)
        })
    }
}

impl<T: ContainerType + OutputType> Rechtstreeks<T> {
    /// The fields selected on this object, in document order, fragments expanded where their
    /// type condition holds for `T` (as the engine's `Fields::add_set` does).
    fn verzamel<'a>(
        &self,
        ctx: &ContextSelectionSet<'a>,
        velden: &mut Vec<&'a Positioned<Field>>,
    ) -> ServerResult<()> {
        for selectie in &ctx.item.node.items {
            let (voorwaarde, set) = match &selectie.node {
                Selection::Field(veld) => {
                    velden.push(veld);
                    continue;
                }
                Selection::FragmentSpread(spread) => {
                    let naam = &spread.node.fragment_name.node;
                    let fragment = ctx.query_env.fragments.get(naam).ok_or_else(|| {
                        ServerError::new(format!(r#"Unknown fragment "{naam}"."#), Some(spread.pos))
                    })?;
                    (
                        Some(&fragment.node.type_condition),
                        &fragment.node.selection_set,
                    )
                }
                Selection::InlineFragment(fragment) => (
                    fragment.node.type_condition.as_ref(),
                    &fragment.node.selection_set,
                ),
            };
            let past = voorwaarde.is_none_or(|v| {
                let voorwaarde = v.node.on.node.as_str();
                let eigen = self.0.introspection_type_name();
                eigen == voorwaarde
                    || T::type_name() == voorwaarde
                    || ctx
                        .schema_env
                        .registry
                        .implements
                        .get(eigen.as_ref())
                        .is_some_and(|interfaces| interfaces.contains(voorwaarde))
            });
            if past {
                self.verzamel(&ctx.with_selection_set(set), velden)?;
            }
        }
        Ok(())
    }
}

/// Puts `waarde` under `sleutel`, merging objects (and lists of objects) selected twice under one
/// key, as the engine does.
fn voeg_in(doel: &mut IndexMap<Name, Value>, sleutel: Name, waarde: Value) {
    match (doel.entry(sleutel), waarde) {
        (Entry::Vacant(plek), waarde) => {
            plek.insert(waarde);
        }
        (Entry::Occupied(mut plek), Value::Object(nieuw)) => {
            if let Value::Object(bestaand) = plek.get_mut() {
                for (k, v) in nieuw {
                    voeg_in(bestaand, k, v);
                }
            }
        }
        (Entry::Occupied(mut plek), Value::List(nieuw)) => {
            if let Value::List(bestaand) = plek.get_mut() {
                for (bestaand, nieuw) in bestaand.iter_mut().zip(nieuw) {
                    if let (Value::Object(bestaand), Value::Object(nieuw)) = (bestaand, nieuw) {
                        for (k, v) in nieuw {
                            voeg_in(bestaand, k, v);
                        }
                    }
                }
            }
        }
        // A field selected twice: validation made sure both are the same value.
        (Entry::Occupied(_), _) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, SimpleObject};

    #[derive(Clone, SimpleObject)]
    struct Punt {
        soort: String,
        dagen: Option<i64>,
    }

    #[derive(Clone, SimpleObject)]
    struct Rij {
        id: async_graphql::ID,
        datum: chrono::NaiveDate,
        punten: Vec<Punt>,
        direct: Vec<Rechtstreeks<Punt>>,
    }

    struct Query;

    fn rijen() -> Vec<Rij> {
        (1..=3)
            .map(|i| {
                let punten: Vec<Punt> = (0..i)
                    .map(|j| Punt {
                        soort: format!("S{j}"),
                        dagen: (j % 2 == 0).then_some(j),
                    })
                    .collect();
                Rij {
                    id: async_graphql::ID(format!("r{i}")),
                    datum: chrono::NaiveDate::from_ymd_opt(2026, 1, i as u32).unwrap(),
                    direct: punten.iter().cloned().map(Rechtstreeks).collect(),
                    punten,
                }
            })
            .collect()
    }

    #[Object]
    impl Query {
        async fn gewoon(&self) -> Vec<Rij> {
            rijen()
        }
        async fn rechtstreeks(&self) -> Vec<Rechtstreeks<Rij>> {
            rijen().into_iter().map(Rechtstreeks).collect()
        }
        async fn fout(&self) -> Vec<Rechtstreeks<Failing>> {
            vec![Rechtstreeks(Failing), Rechtstreeks(Failing)]
        }
        async fn fout_gewoon(&self) -> Vec<Failing> {
            vec![Failing, Failing]
        }
    }

    struct Failing;

    #[Object]
    impl Failing {
        async fn goed(&self) -> i32 {
            1
        }
        async fn kapot(&self) -> async_graphql::Result<Option<i32>> {
            Err("kapot".into())
        }
    }

    fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::new(Query, EmptyMutation, EmptySubscription)
    }

    /// Runs `selectie` on the engine's objects and on [`Rechtstreeks`] objects: the answers,
    /// errors included, must be the same.
    async fn gelijk(selectie: &str, fragmenten: &str) {
        let schema = schema();
        let gewoon = schema
            .execute(format!("{{ veld: gewoon {selectie} }} {fragmenten}"))
            .await;
        let direct = schema
            .execute(format!("{{ veld: rechtstreeks {selectie} }} {fragmenten}"))
            .await;
        assert!(gewoon.errors.is_empty(), "{:?}", gewoon.errors);
        assert_eq!(gewoon.data, direct.data, "{selectie}");
        assert_eq!(gewoon.errors, direct.errors, "{selectie}");
        assert_ne!(gewoon.data, Value::Null);
    }

    #[tokio::test]
    async fn answers_as_the_engine_does() {
        gelijk("{ id datum }", "").await;
        gelijk("{ datum id __typename }", "").await;
        gelijk("{ a: id b: id datum d: datum }", "").await;
        gelijk("{ id punten { soort } direct { soort dagen } }", "").await;
        gelijk("{ direct { soort } direct { dagen } id }", "").await;
        gelijk("{ punten { soort } direct { __typename x: dagen } }", "").await;
        gelijk(
            "{ ...R id }",
            "fragment R on Rij { datum direct { soort } }",
        )
        .await;
        gelijk(
            "{ ... on Rij { id } ... { datum } direct { ... on Punt { soort } } }",
            "",
        )
        .await;
        gelijk(
            "{ id ... on Rij { direct { dagen } } direct { soort } }",
            "",
        )
        .await;
        gelijk("{ id @skip(if: true) datum @include(if: true) }", "").await;
    }

    #[tokio::test]
    async fn a_field_error_is_reported_as_the_engine_reports_it() {
        let schema = schema();
        let gewoon = schema.execute("{ veld: foutGewoon { goed kapot } }").await;
        let direct = schema.execute("{ veld: fout { goed kapot } }").await;
        assert_eq!(gewoon.errors.len(), 2);
        assert_eq!(gewoon.data, direct.data);
        let paden = |r: &async_graphql::Response| {
            r.errors
                .iter()
                .map(|e| (e.message.clone(), format!("{:?}", e.path)))
                .collect::<Vec<_>>()
        };
        assert_eq!(paden(&gewoon), paden(&direct));
    }

    #[test]
    fn the_schema_sees_the_object_itself() {
        let sdl = schema().sdl();
        assert!(sdl.contains("rechtstreeks: [Rij!]!"), "{sdl}");
        assert!(sdl.contains("direct: [Punt!]!"), "{sdl}");
    }
}
