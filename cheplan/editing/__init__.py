"""The only stage that writes a plan: recording progress, keeping every byte outside the edit."""
