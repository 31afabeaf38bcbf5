//! Runs every contract test against every backend.

macro_rules! contract_suite {
    ($backend:ident) => {
        mod $backend {
            use crate::{contract, fixtures};

            macro_rules! case {
                ($name:ident) => {
                    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                    async fn $name() {
                        if let Some(fixture) = fixtures::$backend().await {
                            contract::$name(fixture.store.clone()).await;
                        }
                    }
                };
            }

            case!(append_and_read_back_the_envelope);
            case!(every_expected_revision_case);
            case!(racing_appends_each_revision_won_once);
            case!(a_retried_append_returns_the_original_result);
            case!(a_retry_from_another_request_returns_the_original_result);
            case!(retries_and_duplicates_among_new_appends_are_decided_each_on_its_own);
            case!(an_atomic_append_whose_first_part_fails_writes_nothing);
            case!(a_condition_part_checks_a_stream_without_writing);
            case!(same_id_other_content_is_an_error);
            case!(read_stream_forwards_and_backwards);
            case!(read_all_in_global_order_with_a_prefix_filter);
            case!(invalid_appends_are_refused_and_write_nothing);
            case!(subscription_catches_up_then_follows_live);
            case!(subscriber_follows_eight_writers_and_resumes_from_its_checkpoint);
            case!(a_filtered_subscription_looks_past_left_out_events_without_skipping_any);
        }
    };
}

contract_suite!(sqlite);
contract_suite!(postgres);

/// What only the backends with multi-stream transactions (and a recording time of their own
/// choosing) promise.
macro_rules! transaction_suite {
    ($backend:ident, $module:ident) => {
        mod $module {
            use crate::{contract, fixtures};

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn an_atomic_append_is_all_or_nothing() {
                if let Some(fixture) = fixtures::$backend().await {
                    contract::an_atomic_append_is_all_or_nothing(fixture.store.clone()).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn a_copied_event_keeps_its_recording_time() {
                if let Some(fixture) = fixtures::$backend().await {
                    contract::a_copied_event_keeps_its_recording_time(fixture.store.clone()).await;
                }
            }
        }
    };
}

transaction_suite!(sqlite, sqlite_transacties);
transaction_suite!(postgres, postgres_transacties);
#[cfg(feature = "kurrentdb")]
contract_suite!(kurrentdb);
