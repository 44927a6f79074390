/**
 * The P2P network layer: the v1 transport and message codecs, connections (listening,
 * -connect/-addnode, addnode/addconnection), the handshake, ping, headers-first block sync and
 * serving, block announcements, bans, and the network RPC methods.
 *
 * @module
 */
export * from "./addrman.ts";
export * from "./address_seeding.ts";
export * from "./ban_list.ts";
export * from "./chain_queries.ts";
export * from "./connection_manager.ts";
export * from "./eviction.ts";
export * from "./fee_filter_rounder.ts";
export * from "./message_capture.ts";
export * from "./messages.ts";
export * from "./misbehaviour.ts";
export * from "./net_address.ts";
export * from "./net_permissions.ts";
export * from "./net_rpc.ts";
export * from "./network.ts";
export * from "./outbound_connector.ts";
export * from "./peer_connection.ts";
export * from "./peer_manager.ts";
export * from "./peer_state.ts";
export * from "./peers_file.ts";
export * from "./protocol.ts";
export * from "./relay_pool.ts";
export * from "./tx_reconciliation.ts";
export * from "./tx_relay.ts";
export * from "./user_agent.ts";
export * from "./version_message.ts";
export * from "./wire_frame.ts";
