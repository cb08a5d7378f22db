//! Paginated operations as async streams of pages and of items.

use crate::{OperationError, OperationSpec, Runtime, SdkError};
use apprunner_smithy::json::{ReadJson, WriteJson};
use apprunner_smithy::{Validate, ValidationError};
use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

type ItemPages<T, E> = Pin<Box<dyn Stream<Item = Result<Vec<T>, SdkError<E>>> + Send>>;
type PageFuture<I, O, E> = Pin<Box<dyn Future<Output = (I, Result<O, SdkError<E>>)> + Send>>;

enum State<I, O, E> {
    /// The next request is ready to go.
    Ready(I),
    /// A request is in flight.
    Sending(PageFuture<I, O, E>),
    /// The input could not be built; the error is yielded once.
    Invalid(ValidationError),
    /// No more pages.
    Done,
}

/// The pages of a paginated operation, as an async [`Stream`] (or with [`Paginator::next_page`]).
///
/// Each page is one request; the continuation token `K` of one output goes into
/// the next input. The stream ends when the service returns no token (generated
/// code treats an empty string token as none) or the token it was just given (a
/// service bug that would otherwise loop forever), and after the first error.
pub struct Paginator<I, O, E, K = String> {
    runtime: Runtime,
    operation: &'static OperationSpec,
    state: State<I, O, E>,
    set_token: fn(&mut I, Option<K>),
    next_token: fn(&O) -> Option<K>,
    sent_token: Option<K>,
}

impl<I, O, E, K> fmt::Debug for Paginator<I, O, E, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Ready(_) => "ready",
            State::Sending(_) => "sending",
            State::Invalid(_) => "invalid input",
            State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("operation", &self.operation.name)
            .field("state", &state)
            .finish()
    }
}

impl<I, O, E, K> Paginator<I, O, E, K>
where
    I: WriteJson + Validate + Send + Sync + 'static,
    O: ReadJson + Send + 'static,
    E: OperationError,
    K: Clone + PartialEq + Send + 'static,
{
    /// A paginator for `operation`, starting from `input`. Generated clients call this;
    /// `set_token` writes the continuation token into an input, `next_token` reads it from an output.
    pub fn new(
        runtime: Runtime,
        operation: &'static OperationSpec,
        input: Result<I, SdkError<E>>,
        set_token: fn(&mut I, Option<K>),
        next_token: fn(&O) -> Option<K>,
    ) -> Self {
        let state = match input {
            Ok(input) => State::Ready(input),
            Err(SdkError::InvalidInput(error)) => State::Invalid(error),
            Err(other) => State::Invalid(ValidationError::new(vec![apprunner_smithy::Violation {
                path: String::new(),
                message: other.to_string(),
            }])),
        };
        Self {
            runtime,
            operation,
            state,
            set_token,
            next_token,
            sent_token: None,
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Option<Result<O, SdkError<E>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Turns the pages into a stream of the items `extract` takes from each page.
    pub fn items<T>(self, extract: fn(&O) -> Vec<T>) -> ItemStream<T, E>
    where
        T: Send + 'static,
    {
        ItemStream {
            pages: Box::pin(PageItems {
                paginator: self,
                extract,
            }),
            buffer: VecDeque::new(),
            finished: false,
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, SdkError<E>>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Invalid(error) => return Poll::Ready(Some(Err(SdkError::InvalidInput(error)))),
                State::Ready(input) => {
                    let runtime = self.runtime.clone();
                    let operation = self.operation;
                    self.state = State::Sending(Box::pin(async move {
                        let result = runtime.invoke(operation, &input).await;
                        (input, result)
                    }));
                }
                State::Sending(mut future) => match future.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Sending(future);
                        return Poll::Pending;
                    }
                    Poll::Ready((_, Err(error))) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready((mut input, Ok(output))) => {
                        match (self.next_token)(&output) {
                            Some(token) if self.sent_token.as_ref() != Some(&token) => {
                                (self.set_token)(&mut input, Some(token.clone()));
                                self.sent_token = Some(token);
                                self.state = State::Ready(input);
                            }
                            _ => self.state = State::Done,
                        }
                        return Poll::Ready(Some(Ok(output)));
                    }
                },
            }
        }
    }
}

impl<I, O, E, K> Stream for Paginator<I, O, E, K>
where
    I: WriteJson + Validate + Send + Sync + 'static,
    O: ReadJson + Send + 'static,
    E: OperationError,
    K: Clone + PartialEq + Send + 'static,
{
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the in-flight future is boxed), so the paginator is too.
        self.get_mut().poll_page(cx)
    }
}

impl<I, O, E, K> Unpin for Paginator<I, O, E, K> {}

/// Adapts a paginator into a stream of each page's items.
struct PageItems<I, O, E, K, T> {
    paginator: Paginator<I, O, E, K>,
    extract: fn(&O) -> Vec<T>,
}

impl<I, O, E, K, T> Stream for PageItems<I, O, E, K, T>
where
    I: WriteJson + Validate + Send + Sync + 'static,
    O: ReadJson + Send + 'static,
    E: OperationError,
    K: Clone + PartialEq + Send + 'static,
{
    type Item = Result<Vec<T>, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.paginator.poll_page(cx) {
            Poll::Ready(Some(Ok(page))) => Poll::Ready(Some(Ok((this.extract)(&page)))),
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<I, O, E, K, T> Unpin for PageItems<I, O, E, K, T> {}

/// The items of every page of a paginated operation, as an async [`Stream`]
/// (or with [`ItemStream::next`]). It ends after the last page or the first error.
pub struct ItemStream<T, E> {
    pages: ItemPages<T, E>,
    buffer: VecDeque<T>,
    finished: bool,
}

impl<T, E> fmt::Debug for ItemStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("buffered", &self.buffer.len())
            .field("finished", &self.finished)
            .finish()
    }
}

impl<T, E> ItemStream<T, E> {
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Collects every item (stopping at the first error).
    pub async fn collect(mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, SdkError<E>>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.finished {
                return Poll::Ready(None);
            }
            match self.pages.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => self.finished = true,
                Poll::Ready(Some(Err(error))) => {
                    self.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(Some(Ok(items))) => self.buffer.extend(items),
            }
        }
    }
}

impl<T, E> Stream for ItemStream<T, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<T, E> Unpin for ItemStream<T, E> {}
