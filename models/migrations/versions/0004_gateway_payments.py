"""gateway payments: which provider made a payment code, its order id and transaction id there, its last status

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 14:00:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('provider_order_id', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('provider_transaction_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('provider_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('provider_checked_at', models.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_payments_provider_order_id'), ['provider_order_id'])


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_payments_provider_order_id'), type_='unique')
        batch_op.drop_column('provider_checked_at')
        batch_op.drop_column('provider_status')
        batch_op.drop_column('provider_transaction_id')
        batch_op.drop_column('provider_order_id')
        batch_op.drop_column('provider')
