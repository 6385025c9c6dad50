"""Platform referrals: flag captured content, package it verifiably, watch whether it stays up."""
