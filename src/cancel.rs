//! Stopping a calculation from outside: a cancellation token with an
//! optional deadline, checked inside the engine's loops.
//!
//! A [`Cancel`] token is shared between the code that may want to stop a
//! calculation (a service's time limit, its shutdown, a user's Ctrl-C) and
//! the thread that runs it. [`Cancel::run`] installs the token on the current
//! thread for the duration of a closure; the engine checks it once per
//! consequence line and once per evaluation, so a stopped calculation ends
//! within microseconds to milliseconds, whatever its input, with
//! [`CalcError::Cancelled`]. Without an installed token the check is a
//! thread-local read.
//!
//! ```
//! use som::cancel::Cancel;
//! let token = Cancel::new();
//! token.cancel();
//! let stopped = token.run(|| som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()));
//! assert!(matches!(
//!     stopped,
//!     Err(som::Error::Calculation { source: som::CalcError::Cancelled, .. })
//! ));
//! ```

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::CalcError;

/// A cancellation token: cheap to clone, every clone sees the same state.
///
/// A token may have parents (see [`Cancel::child`]): cancelling a parent
/// stops every child and grandchild, cancelling a child stops only that child.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    parents: Vec<Arc<AtomicBool>>,
    deadline: Option<Instant>,
}

impl Cancel {
    /// A token that is not cancelled and has no deadline.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// A token that also counts as cancelled once `deadline` has passed.
    ///
    /// ```
    /// let token = som::cancel::Cancel::with_deadline(std::time::Instant::now());
    /// assert!(token.is_cancelled());
    /// ```
    pub fn with_deadline(deadline: Instant) -> Cancel {
        Cancel {
            deadline: Some(deadline),
            ..Cancel::default()
        }
    }

    /// A new token that is cancelled when this one is, or on its own.
    ///
    /// ```
    /// let server = som::cancel::Cancel::new();
    /// let request = server.child();
    /// request.cancel();
    /// assert!(request.is_cancelled() && !server.is_cancelled());
    /// server.cancel();
    /// assert!(server.child().is_cancelled());
    /// ```
    pub fn child(&self) -> Cancel {
        let mut parents = self.parents.clone();
        parents.push(Arc::clone(&self.flag));
        Cancel {
            flag: Arc::new(AtomicBool::new(false)),
            parents,
            deadline: self.deadline,
        }
    }

    /// Asks every calculation running under this token (or a child) to stop.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether the token (or its parent) was cancelled or its deadline passed.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
            || self.parents.iter().any(|p| p.load(Ordering::Relaxed))
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Runs `work` on the current thread with this token installed: the
    /// engine's checks inside it see the token. The previous token (if any)
    /// is restored afterwards, also when `work` panics.
    pub fn run<T>(&self, work: impl FnOnce() -> T) -> T {
        struct Restore(Option<Cancel>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = previous);
            }
        }
        let previous = CURRENT.with(|c| c.borrow_mut().replace(self.clone()));
        let _restore = Restore(previous);
        work()
    }

    /// The token installed on the current thread by [`Cancel::run`], if any:
    /// for passing it on to worker threads.
    pub fn current() -> Option<Cancel> {
        CURRENT.with(|c| c.borrow().clone())
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Cancel>> = const { RefCell::new(None) };
}

/// `Err(CalcError::Cancelled)` when the token installed on this thread was
/// cancelled or its deadline passed; `Ok` otherwise (also without a token).
pub fn check() -> Result<(), CalcError> {
    CURRENT.with(|c| match &*c.borrow() {
        Some(token) if token.is_cancelled() => Err(CalcError::Cancelled),
        _ => Ok(()),
    })
}

/// Cancels its token when dropped: a calculation whose caller went away
/// (a request that timed out, a client that disconnected) stops.
#[derive(Debug)]
pub struct CancelOnDrop(pub Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_sees_only_the_installed_token() {
        let token = Cancel::new();
        assert_eq!(token.run(check), Ok(()));
        token.cancel();
        assert_eq!(token.run(check), Err(CalcError::Cancelled));
        // Outside `run` nothing is installed.
        assert_eq!(check(), Ok(()));
        // Nested: the inner token while inside, the outer one again after.
        let outer = Cancel::new();
        outer.run(|| {
            assert_eq!(token.run(check), Err(CalcError::Cancelled));
            assert_eq!(check(), Ok(()));
        });
    }

    #[test]
    fn drop_guard_cancels() {
        let token = Cancel::new();
        drop(CancelOnDrop(token.clone()));
        assert!(token.is_cancelled());
    }
}
