// Door Service: the RS-485 lock-board bus (Kerong KR-CU16 frame protocol), for the
// cabinet-rs485 firmwares. Included through `esphome: includes:` (lockboard-rs485.yaml).
//
// Frames (every byte hex; SUM = low byte of the sum of all bytes before it):
//   request  02 ADDR CMD 03 SUM          ADDR = board << 4 | lock  (board 0-15, lock 0-15)
//            CMD 30 = status of the board, 31 = unlock the lock (the board times the pulse)
//   reply    02 ADDR 35 H1 H2 S1 S2 03 SUM   (9 bytes; sent for both commands)
//            H1/H2 = lock-hook feedback of locks 1-8 / 9-16 (bit 0 = lock 1): 1 = hook
//            engaged (door shut), 0 = door open; S1/S2 = the board's sensor inputs (unused)
// A CU16 has 16 channels; 24 or 48 compartments are two or three boards on the same bus
// (DIP-switch addresses 0, 1, 2): compartment n is board (n-1)/16, lock (n-1)%16.
//
// One transaction at a time on the half-duplex bus. Unlocks are queued first come first
// served and never closer than pulse + gap apart (one solenoid at a time on the 12/24 V
// supply); between them every board is polled in turn. A board that misses
// `kMissesOffline` replies in a row reports its doors unknown and its locks JAMMED until it
// answers again; an unlock that is not acknowledged leaves that lock JAMMED until the next
// good status (it is never re-sent: a late double pulse is worse than a refused one).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "esphome/components/binary_sensor/binary_sensor.h"
#include "esphome/components/lock/lock.h"
#include "esphome/components/uart/uart.h"
#include "esphome/core/hal.h"
#include "esphome/core/log.h"

namespace doorservice {

class Cu16Bus {
 public:
  static constexpr uint8_t kStx = 0x02, kEtx = 0x03;
  static constexpr uint8_t kCmdStatus = 0x30, kCmdUnlock = 0x31, kReply = 0x35;
  static constexpr int kReplyLength = 9;
  static constexpr int kMissesOffline = 3;

  void setup(esphome::uart::UARTComponent *uart, uint32_t pulse_ms, uint32_t gap_ms, uint32_t poll_ms,
             uint32_t reply_timeout_ms) {
    this->uart_ = uart;
    this->pulse_ms_ = pulse_ms;
    this->gap_ms_ = gap_ms;
    this->poll_ms_ = poll_ms;
    this->reply_timeout_ms_ = reply_timeout_ms;
  }

  void add(int n, esphome::lock::Lock *lock, esphome::binary_sensor::BinarySensor *door) {
    if (n < 1)
      return;
    if ((int) this->slots_.size() <= n)
      this->slots_.resize(n + 1);
    this->slots_[n].lock = lock;
    this->slots_[n].door = door;
    int boards = (n - 1) / 16 + 1;
    if ((int) this->boards_.size() < boards)
      this->boards_.resize(boards);
    lock->publish_state(esphome::lock::LOCK_STATE_LOCKED);
  }

  // UNLOCK/OPEN: queue one pulse (ignored while queued or pulsing; refused while faulted).
  void request_unlock(int n) {
    Slot *slot = this->slot_(n);
    if (slot == nullptr)
      return;
    if (this->board_offline_(n)) {
      ESP_LOGW(TAG, "Compartment %d: lock board %d offline, unlock refused", n, board_of(n));
      slot->lock->publish_state(esphome::lock::LOCK_STATE_JAMMED);
      return;
    }
    const uint32_t now = esphome::millis();
    if (std::find(this->queue_.begin(), this->queue_.end(), n) != this->queue_.end() ||
        (slot->unlocked && now - slot->unlocked_at < this->pulse_ms_)) {
      ESP_LOGD(TAG, "Compartment %d already queued or pulsing: ignored", n);
      return;
    }
    this->queue_.push_back(n);
    slot->lock->publish_state(esphome::lock::LOCK_STATE_UNLOCKING);
  }

  // LOCK: drop a queued unlock (a running pulse is the board's own; it ends by itself).
  void cancel(int n) {
    Slot *slot = this->slot_(n);
    if (slot == nullptr)
      return;
    auto it = std::find(this->queue_.begin(), this->queue_.end(), n);
    if (it != this->queue_.end()) {
      this->queue_.erase(it);
      slot->lock->publish_state(esphome::lock::LOCK_STATE_LOCKED);
    }
  }

  // Whether compartment n's last pulse started less than `window_ms` ago.
  bool unlocked_within(int n, uint32_t window_ms) const {
    if (n < 1 || n >= (int) this->slots_.size() || !this->slots_[n].ever_unlocked)
      return false;
    return esphome::millis() - this->slots_[n].unlocked_at <= window_ms;
  }

  void loop() {
    if (this->uart_ == nullptr)
      return;
    const uint32_t now = esphome::millis();
    this->read_();
    // End of pulses: the board relocks by itself after its unlock time.
    for (size_t n = 1; n < this->slots_.size(); n++) {
      Slot &slot = this->slots_[n];
      if (slot.lock != nullptr && slot.unlocked && now - slot.unlocked_at >= this->pulse_ms_) {
        slot.unlocked = false;
        slot.lock->publish_state(this->board_offline_(n) ? esphome::lock::LOCK_STATE_JAMMED
                                                          : esphome::lock::LOCK_STATE_LOCKED);
      }
    }
    if (this->waiting_) {
      if (now - this->sent_at_ < this->reply_timeout_ms_)
        return;
      this->missed_();
    }
    if (!this->queue_.empty() && (!this->any_unlock_ || now - this->last_unlock_at_ >= this->pulse_ms_ + this->gap_ms_)) {
      int n = this->queue_.front();
      this->queue_.pop_front();
      this->send_(board_of(n), lock_of(n), kCmdUnlock, n);
      this->any_unlock_ = true;
      this->last_unlock_at_ = now;
      return;
    }
    if (!this->boards_.empty() && now - this->last_poll_at_ >= this->poll_ms_) {
      this->last_poll_at_ = now;
      this->poll_board_ = (this->poll_board_ + 1) % this->boards_.size();
      this->send_(this->poll_board_, 0, kCmdStatus, 0);
    }
  }

  static int board_of(int n) { return (n - 1) / 16; }
  static int lock_of(int n) { return (n - 1) % 16; }
  static uint8_t checksum(const uint8_t *data, size_t length) {
    uint32_t sum = 0;
    for (size_t i = 0; i < length; i++)
      sum += data[i];
    return sum & 0xFF;
  }

 protected:
  static constexpr const char *TAG = "cu16";

  struct Slot {
    esphome::lock::Lock *lock{nullptr};
    esphome::binary_sensor::BinarySensor *door{nullptr};
    bool unlocked{false};
    bool ever_unlocked{false};
    uint32_t unlocked_at{0};
  };
  struct Board {
    int misses{kMissesOffline};  // offline until the first reply
  };

  Slot *slot_(int n) {
    if (n < 1 || n >= (int) this->slots_.size() || this->slots_[n].lock == nullptr)
      return nullptr;
    return &this->slots_[n];
  }
  bool board_offline_(int n) const {
    int board = board_of(n);
    return board >= (int) this->boards_.size() || this->boards_[board].misses >= kMissesOffline;
  }

  void send_(int board, int lock, uint8_t command, int compartment) {
    uint8_t frame[5] = {kStx, static_cast<uint8_t>((board << 4) | lock), command, kEtx, 0};
    frame[4] = checksum(frame, 4);
    this->rx_.clear();
    this->uart_->write_array(frame, sizeof(frame));
    this->waiting_ = true;
    this->waiting_board_ = board;
    this->waiting_unlock_ = command == kCmdUnlock ? compartment : 0;
    this->sent_at_ = esphome::millis();
  }

  void read_() {
    uint8_t byte;
    while (this->uart_->available() > 0 && this->uart_->read_byte(&byte)) {
      if (this->rx_.empty() && byte != kStx)
        continue;  // resynchronise on STX
      this->rx_.push_back(byte);
      if ((int) this->rx_.size() < kReplyLength)
        continue;
      std::vector<uint8_t> frame;
      frame.swap(this->rx_);
      if (frame[2] != kReply || frame[7] != kEtx || checksum(frame.data(), 8) != frame[8]) {
        ESP_LOGW(TAG, "Dropped a malformed frame");
        continue;
      }
      this->reply_(frame);
    }
  }

  void reply_(const std::vector<uint8_t> &frame) {
    const int board = frame[1] >> 4;
    if (!this->waiting_ || board != this->waiting_board_) {
      ESP_LOGW(TAG, "Unexpected reply from board %d", board);
      return;
    }
    this->waiting_ = false;
    if (board >= (int) this->boards_.size())
      return;
    const bool was_offline = this->boards_[board].misses >= kMissesOffline;
    this->boards_[board].misses = 0;
    if (was_offline)
      ESP_LOGI(TAG, "Lock board %d answering", board);
    const uint16_t hooks = frame[3] | (frame[4] << 8);
    for (int lock = 0; lock < 16; lock++) {
      const int n = board * 16 + lock + 1;
      Slot *slot = this->slot_(n);
      if (slot == nullptr)
        continue;
      if (slot->door != nullptr)
        slot->door->publish_state(!(hooks & (1 << lock)));
      if (n == this->waiting_unlock_) {
        slot->unlocked = true;
        slot->ever_unlocked = true;
        slot->unlocked_at = esphome::millis();
        slot->lock->publish_state(esphome::lock::LOCK_STATE_UNLOCKED);
      } else if (was_offline && !slot->unlocked) {
        slot->lock->publish_state(esphome::lock::LOCK_STATE_LOCKED);
      } else if (slot->lock->state == esphome::lock::LOCK_STATE_JAMMED && !slot->unlocked) {
        slot->lock->publish_state(esphome::lock::LOCK_STATE_LOCKED);
      }
    }
    this->waiting_unlock_ = 0;
  }

  void missed_() {
    const int board = this->waiting_board_;
    this->waiting_ = false;
    if (this->waiting_unlock_ != 0) {
      ESP_LOGE(TAG, "Compartment %d: unlock not acknowledged", this->waiting_unlock_);
      if (Slot *slot = this->slot_(this->waiting_unlock_))
        slot->lock->publish_state(esphome::lock::LOCK_STATE_JAMMED);
      this->waiting_unlock_ = 0;
    }
    if (board >= (int) this->boards_.size())
      return;
    Board &state = this->boards_[board];
    if (state.misses < kMissesOffline && ++state.misses == kMissesOffline) {
      ESP_LOGE(TAG, "Lock board %d not answering: doors unknown, locks jammed", board);
      for (int lock = 0; lock < 16; lock++) {
        if (Slot *slot = this->slot_(board * 16 + lock + 1)) {
          if (slot->door != nullptr)
            slot->door->invalidate_state();
          slot->lock->publish_state(esphome::lock::LOCK_STATE_JAMMED);
        }
      }
      // Queued unlocks of that board are dropped (refused), not delayed.
      for (auto it = this->queue_.begin(); it != this->queue_.end();) {
        if (board_of(*it) == board) {
          it = this->queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }

  esphome::uart::UARTComponent *uart_{nullptr};
  uint32_t pulse_ms_{500}, gap_ms_{300}, poll_ms_{100}, reply_timeout_ms_{100};
  std::vector<Slot> slots_;
  std::vector<Board> boards_;
  std::deque<int> queue_;
  std::vector<uint8_t> rx_;
  bool waiting_{false};
  int waiting_board_{0};
  int waiting_unlock_{0};
  uint32_t sent_at_{0};
  bool any_unlock_{false};
  uint32_t last_unlock_at_{0};
  uint32_t last_poll_at_{0};
  size_t poll_board_{0};
};

inline Cu16Bus &cu16() {
  static Cu16Bus bus;
  return bus;
}

}  // namespace doorservice
