//! A write in progress: every change is applied to the state at once and journaled, so the
//! store can persist exactly the same changes in one database transaction.

use crate::model::{Change, Id, Time};
use crate::state::State;

pub struct Tx<'a> {
    state: &'a mut State,
    journal: Vec<Change>,
    pub now: Time,
}

impl<'a> Tx<'a> {
    pub fn new(state: &'a mut State, now: Time) -> Self {
        Tx {
            state,
            journal: Vec::new(),
            now,
        }
    }

    pub fn state(&self) -> &State {
        self.state
    }

    pub fn next_id(&mut self) -> Id {
        self.state.next_id()
    }

    pub fn next_verification_number(&mut self) -> i64 {
        self.state.next_verification_number()
    }

    pub fn apply(&mut self, change: Change) {
        self.state.apply(&change);
        self.journal.push(change);
    }

    pub fn journal(&self) -> &[Change] {
        &self.journal
    }

    pub fn into_journal(self) -> Vec<Change> {
        self.journal
    }
}
